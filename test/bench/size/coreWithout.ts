import { gzipSync } from 'node:zlib'
import type { Plugin } from 'esbuild'
import { buildFromSource } from './measureSize'

/**
 * A what-if for the size goal: the core entry built from the TypeScript with optional parts
 * taken out, each by replacing the one module that wires it into `createAuthStore` with a no-op
 * of the same shape. Nothing here ships; it says what each part costs the core.
 */
export const OPTIONAL_PARTS = [
  {
    name: 'the websocket option',
    module: /src[\\/]websocket[\\/]jobsSlice\.ts$/,
    noOp: 'export const createJobsSlice = () => () => ({ jobs: {}, subscribeJob() { throw new TypeError() } })',
  },
  {
    name: 'cross-tab sync',
    module: /src[\\/]tabs[\\/]crossTab\.ts$/,
    noOp: 'export const connectTabs = () => () => {}',
  },
  {
    name: 'the devtools wrapper',
    module: /src[\\/]devtools[\\/]redactingDevtools\.ts$/,
    noOp: 'export const redactingDevtools = (initializer) => initializer',
  },
] as const

const withoutParts = (count: number): Plugin => ({
  name: 'without-optional-parts',
  setup(build) {
    for (const part of OPTIONAL_PARTS.slice(0, count)) {
      build.onLoad({ filter: part.module }, () => ({ contents: part.noOp, loader: 'js' }))
    }
  },
})

/** The core minified and gzipped (-9) without the first `count` optional parts. */
export async function coreWithout(
  count: number,
): Promise<{ minifiedBytes: number; gzipBytes: number }> {
  const result = await buildFromSource('src/index.ts', [withoutParts(count)])
  const code = result.outputFiles[0]?.contents ?? new Uint8Array()
  return { minifiedBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength }
}
