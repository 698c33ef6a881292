import { afterAll, beforeAll, describe } from 'vitest'
import { closeServices, getServices } from '@/server/services'
import { actionTests } from './audit-actions.tests'
import { signUpTeam } from './audit.context'
import { readTests } from './audit-read.tests'
import { useCaseActionTests } from './audit-use-cases.tests'

/** The audit log, against whatever database the environment names. The parts run in order: later ones check what earlier ones saw. */
export function auditSuite(backend: string, cleanUp: () => Promise<void> = async () => {}) {
  describe(`audit log on ${backend}`, () => {
    beforeAll(signUpTeam)
    afterAll(async () => {
      await closeServices(await getServices())
      await cleanUp()
    })
    describe('pipelines, runs, users, tokens and sessions', actionTests)
    describe('use cases and rating links', useCaseActionTests)
    describe('reading, exporting, and append-only', readTests)
  })
}
