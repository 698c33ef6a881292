'use client'
import { defineViews, type ConfigAsideProps } from '../views-contract'
import { defaultCanaryWeight, deployConfig } from './definition'

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
  const { deployment, strategy, weight, approval } = parsed.data
  return (
    <div className="space-y-1 text-sm text-zinc-600" data-testid="deploy-aside">
      <p>
        The first run creates <span className="font-mono">{deployment}</span> serving the trained version; later runs roll each new version out:{' '}
        {strategyInWords[strategy]}
        {strategy === 'canary' ? ` (${weight ?? defaultCanaryWeight}% of requests)` : ''}.
      </p>
      <p>
        Predictions: <span className="font-mono">POST /api/v1/deployments/{deployment}/predict</span>
      </p>
      {approval ? <p>The step waits on its page until an operator approves or rejects the change; it holds no worker meanwhile.</p> : null}
    </div>
  )
}

export const deployViews = defineViews({ kind: 'deploy', ConfigAside: DeployAside })
