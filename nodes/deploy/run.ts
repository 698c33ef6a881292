import { StepError, type Executor } from '../contract'
import { defaultCanaryWeight, type DeployConfig, type deploy } from './definition'
import { describeRequest, formatHours, type DeployRequest } from './request'

function requestOf(config: DeployConfig, model: { name: string; version: number }): DeployRequest {
  return {
    target: config.target,
    deployment: config.deployment,
    strategy: config.strategy,
    ...(config.strategy === 'canary' ? { weight: config.weight ?? defaultCanaryWeight } : {}),
    model,
  }
}

/**
 * Names the registered version to serve; the deployment publisher makes the change when the step's
 * outputs are published (at once, or once an operator approves), so nothing changes on a failure.
 */
export const run: Executor<typeof deploy> = async ({ config, inputs, outputs, registry, log, requestApproval }) => {
  const registered = await registry.versionOf(inputs.model.id)
  if (!registered) {
    throw new StepError('The model on the "model" input is not in the model registry: set "registerAs" on the train step, so there is a name and version to deploy.')
  }
  const request = requestOf(config, registered)
  await outputs.deployment('deployment', request)
  const summary = describeRequest(request)
  if (config.approval) {
    requestApproval({ permission: 'deployment:manage', summary, timeoutMs: config.approvalTimeoutHours * 3_600_000 })
    log('info', `Waiting up to ${formatHours(config.approvalTimeoutHours)} for an operator to approve: ${summary}`)
  } else {
    log('info', summary)
  }
}
