import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Store and React tests run in jsdom; files that talk to the reference backend over real
    // sockets opt into `// @vitest-environment node` (jsdom's XHR would apply CORS to axios).
    environment: 'jsdom',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/browser/**', 'node_modules/**'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    restoreMocks: true,
    testTimeout: 20_000,
  },
})
