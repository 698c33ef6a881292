/**
 * Every action the audit log records, dotted `noun.verb` and stable: people filter and alert on
 * these names, so rename none. A later issue (model aliases, deployments) adds its actions here.
 */
export const auditActions = [
  'pipeline.create',
  'pipeline.save',
  'pipeline.restore',
  'run.start',
  'run.cancel',
  'run.retry',
  'run.rerun',
  'artifact.upload',
  'user.create',
  'user.role-change',
  'user.remove',
  'user.password-change',
  'token.create',
  'token.revoke',
  'use-case.create',
  'use-case.update',
  'use-case.delete',
  'use-case.rate',
  'use-case.override',
  'use-case.override-clear',
  'use-case.link',
  'use-case.unlink',
  'use-case.import',
  'use-case.settings',
  'invite.create',
  'invite.revoke',
  'invite.use',
  'session.sign-in',
  'session.sign-out',
  'setup.owner',
] as const
export type AuditAction = (typeof auditActions)[number]

/** The nouns, so `?action=pipeline` finds every pipeline action. */
export const auditNouns = [...new Set(auditActions.map((action) => action.split('.')[0]!))]

/** What an admin reads in the filter's select and the table. */
export const auditActionLabels: Record<AuditAction, string> = {
  'pipeline.create': 'created a pipeline',
  'pipeline.save': 'saved a pipeline version',
  'pipeline.restore': 'restored a pipeline version',
  'run.start': 'started a run',
  'run.cancel': 'canceled a run',
  'run.retry': 'retried a run',
  'run.rerun': 're-ran a node and what depends on it',
  'artifact.upload': 'uploaded a file',
  'user.create': 'added a user',
  'user.role-change': "changed a user's role",
  'user.remove': 'removed a user',
  'user.password-change': 'changed their password',
  'token.create': 'created an API token',
  'token.revoke': 'revoked an API token',
  'use-case.create': 'created a use case',
  'use-case.update': 'edited a use case',
  'use-case.delete': 'deleted a use case',
  'use-case.rate': 'rated a use case',
  'use-case.override': 'overrode a severity',
  'use-case.override-clear': 'removed a severity override',
  'use-case.link': 'linked a pipeline to a use case',
  'use-case.unlink': 'unlinked a pipeline from a use case',
  'use-case.import': 'imported use cases from CSV',
  'use-case.settings': "changed the board's scoring",
  'invite.create': 'made a rating link',
  'invite.revoke': 'revoked a rating link',
  'invite.use': 'rated through a link',
  'session.sign-in': 'signed in',
  'session.sign-out': 'signed out',
  'setup.owner': 'set up the installation',
}
