'use client'
import Link from 'next/link'
import { defineViews, type ConfigAsideProps } from '../views-contract'
import { defaultCanaryWeight, deployConfig } from './definition'
import { deploymentReferenceSchema, formatHours, type DeploymentReference } from './request'

const strategyInWords = {
  single: 'the new version answers every request at once (the one before is kept for a one-step rollback)',
  canary: 'the new version answers a share of the requests beside the serving one, until promoted or rolled back',
  shadow: 'the new version sees a copy of every request and answers none; both answers are logged',
  'blue-green': 'the new version is loaded and warm but answers nothing until promoted',
} as const

/** What the settings will do, in words, under the form generated from the schema. */
function DeployAside({ config }: ConfigAsideProps) {
  const parsed = deployConfig.safeParse(config)
  if (!parsed.success) return null
  const { deployment, strategy, weight, approval, approvalTimeoutHours } = parsed.data
  // the panel does not know whether the deployment exists yet: the words hold either way
  return (
    <div className="space-y-1 text-sm text-zinc-600" data-testid="deploy-aside">
      <p>
        If <span className="font-mono">{deployment}</span> does not exist yet, a run creates it serving the trained version. Once it exists, each run rolls
        the new version out: {strategyInWords[strategy]}
        {strategy === 'canary' ? ` (${weight ?? defaultCanaryWeight}% of requests)` : ''}.
      </p>
      <p>
        Predictions: <span className="font-mono">POST /api/v1/deployments/{deployment}/predict</span>
      </p>
      {approval ? (
        <p>
          The step waits on its page until an operator approves or rejects the change, holding no worker meanwhile; if nobody decides within{' '}
          {formatHours(approvalTimeoutHours)}, it fails and so does the run.
        </p>
      ) : null}
    </div>
  )
}

/** What the step did to the deployment, in one sentence. */
function changeWords({ action, deployment, model, version, strategy, weight }: DeploymentReference): string {
  const served = `v${version} of ${model}`
  if (action === 'create') return `Created ${deployment}, serving ${served} to every request.`
  if (action === 'unchanged') return `${deployment} already served ${served} as asked: nothing changed.`
  const how = {
    single: 'it answers every request (the version before is kept for a one-step rollback)',
    canary: `as a ${weight ?? defaultCanaryWeight}% canary beside the stable version`,
    shadow: 'in the shadow of the stable version (it sees every request and answers none)',
    'blue-green': 'blue-green: warm beside the stable version, answering nothing until promoted',
  }[strategy]
  return strategy === 'single' ? `Rolled ${served} out to ${deployment}: ${how}.` : `Rolled ${served} out to ${deployment} ${how}.`
}

/** The step's `deployment` output: what changed, by whom, and the way to the live deployment. */
function DeploymentSummary({ report }: { port: string; report: unknown }) {
  const parsed = deploymentReferenceSchema.safeParse(report)
  if (!parsed.success) return null
  const reference = parsed.data
  return (
    <div className="card space-y-2 p-4 text-sm" data-testid="deployment-summary">
      <p className="font-medium text-zinc-900">{changeWords(reference)}</p>
      <p className="text-zinc-600">
        By {reference.by}. Predictions: <span className="font-mono">POST {reference.predictUrl}</span>
      </p>
      <Link href={`/deployments/${encodeURIComponent(reference.deployment)}`} className="btn-secondary" data-testid="open-deployment">
        Open {reference.deployment}
      </Link>
    </div>
  )
}

export const deployViews = defineViews({ kind: 'deploy', ConfigAside: DeployAside, Report: DeploymentSummary })
