import { afterAll, beforeAll, describe } from 'vitest'
import { closeServices, getServices } from '@/server/services'
import { boardTests } from './use-cases-board.tests'
import { signUpTeam } from './use-cases.context'
import { recordTests } from './use-cases-records.tests'

/** The use-case board's REST API, against whatever database the environment names. */
export function useCaseApiSuite(backend: string, cleanUp: () => Promise<void> = async () => {}) {
  describe(`use cases (REST API v1) on ${backend}`, () => {
    beforeAll(signUpTeam)
    afterAll(async () => {
      await closeServices(await getServices())
      await cleanUp()
    })
    describe('records, ratings and rankings', recordTests)
    describe('settings, overrides, links, rating links and CSV', boardTests)
  })
}
