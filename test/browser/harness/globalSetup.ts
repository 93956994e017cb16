import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { build } from 'vite'
import type { TestProject } from 'vitest/node'
import { serveStatic } from './staticServer'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the built e2e page is served, `http://127.0.0.1:PORT/`. */
    appUrl: string
  }
}

const APP_ROOT = fileURLToPath(new URL('../app/', import.meta.url))

/**
 * Builds the page once (a production build, as an app ships it) into a temporary folder and
 * serves it on 127.0.0.1 for every test file; each scenario then starts its own backend.
 */
export default async function setup(project: TestProject) {
  const outDir = await mkdtemp(join(tmpdir(), 'zas-e2e-page-'))
  await build({
    root: APP_ROOT,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 2_000 },
  })
  const server = await serveStatic(outDir)
  project.provide('appUrl', server.url)
  return async () => {
    await server.close()
    await rm(outDir, { recursive: true, force: true })
  }
}
