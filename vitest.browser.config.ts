import { defineConfig } from 'vitest/config'

/**
 * End-to-end tests in Debian's Chromium (`npm run test:browser`): playwright-core drives
 * /usr/bin/chromium against a production build of test/browser/app and the reference backend.
 * One file at a time: each launches its own browser, and real time is what they measure.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/browser/**/*.browser.test.ts'],
    globalSetup: ['test/browser/harness/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
})
