import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  // The README's example imports the package by name: point the names at the sources.
  resolve: {
    alias: [
      { find: /^zustand-auth-session\/axios$/, replacement: fromRoot('./src/axios.ts') },
      { find: /^zustand-auth-session\/react$/, replacement: fromRoot('./src/react.ts') },
      { find: /^zustand-auth-session$/, replacement: fromRoot('./src/index.ts') },
    ],
  },
  test: {
    // Store and React tests run in jsdom; files that talk to the reference backend over real
    // sockets opt into `// @vitest-environment node` (jsdom's XHR would apply CORS to axios).
    environment: 'jsdom',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/browser/**', 'node_modules/**'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    // reactCleanup: Testing Library unmounts between tests by itself only with vitest globals on.
    setupFiles: [
      'test/setup/noTokenInLogs.ts',
      'test/setup/reactCleanup.ts',
      'test/setup/preloadJobsRuntime.ts',
    ],
    restoreMocks: true,
    testTimeout: 20_000,
  },
})
