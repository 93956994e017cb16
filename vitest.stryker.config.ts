import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config'

/**
 * The suite Stryker runs against each mutant (`npm run mutate`): everything in `npm test` but
 * the type tests (no runtime behaviour to kill a mutant) and the size budget (a tsup build per
 * run, and it measures bytes, not behaviour).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      typecheck: { enabled: false },
      exclude: ['test/browser/**', 'node_modules/**', 'test/bench/sizeBudget.test.ts'],
    },
  }),
)
