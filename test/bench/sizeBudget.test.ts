// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BudgetResult, buildToTemp, checkBudget, readBudget } from './size/measureSize'

/**
 * The size budget of .size-limit.json, enforced in `npm test`: the package is built with
 * tsup into a temporary directory and measured with size-limit's API (minified, gzipped,
 * peers external). Raise a limit only on purpose, in the same change that grows the code.
 */
const budget = await readBudget()
let results: BudgetResult[] = []
let cleanup: (() => Promise<void>) | undefined

beforeAll(async () => {
  const build = await buildToTemp()
  cleanup = build.cleanup
  results = await checkBudget(build.outDir, budget)
}, 120_000)

afterAll(async () => {
  await cleanup?.()
})

describe('size budget (.size-limit.json)', () => {
  it.each(budget.map((check) => [check.name, check.limit]))(
    '%s stays within %s gzipped',
    (name) => {
      const result = results.find((candidate) => candidate.name === name)
      expect(result, `no measurement for ${name}`).toBeDefined()
      const { sizeBytes, limitBytes } = result as BudgetResult
      expect(
        sizeBytes,
        `${name}: ${sizeBytes} B minified + gzipped, over the ${limitBytes} B budget by ${sizeBytes - limitBytes} B`,
      ).toBeLessThanOrEqual(limitBytes)
    },
  )
})
