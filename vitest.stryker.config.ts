import { defineConfig, mergeConfig } from 'vitest/config'
import { FastestFirstSequencer } from './test/mutation/fastestFirstSequencer'
import base from './vitest.config'

/**
 * The suite Stryker runs against each mutant (`npm run mutate`): everything in `npm test` but
 * the type tests (no runtime behaviour to kill a mutant) and the size budget (a tsup build per
 * run, and it measures bytes, not behaviour).
 *
 * `isolate: false` shares the jsdom environment and the module graph between test files: the
 * suite runs in ~20 s instead of ~55 s, and Stryker runs it thousands of times. Stryker's dry
 * run checks the whole suite is green this way before any mutant is tried.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      isolate: false,
      sequence: { sequencer: FastestFirstSequencer },
      typecheck: { enabled: false },
      exclude: ['test/browser/**', 'node_modules/**', 'test/bench/sizeBudget.test.ts'],
    },
  }),
)
