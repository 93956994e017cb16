import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import esbuildPlugin from '@size-limit/esbuild'
import filePlugin from '@size-limit/file'
// esbuild comes with tsup (it is what tsup builds with), so it is no new dependency.
import { build as esbuild, type Plugin } from 'esbuild'
import sizeLimit from 'size-limit'
import { type Options, build as tsupBuild } from 'tsup'
import tsupConfig from '../../../tsup.config'

/** The repository root (this file is test/bench/size/). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** What the app brings itself: never counted in our size. */
export const PEERS = ['react', 'zustand', 'immer', 'axios', 'jwt-decode']

/** One check of .size-limit.json (the subset of size-limit's options this repository uses). */
export interface BudgetCheck {
  name: string
  path: string
  limit: string
  gzip?: boolean
  ignore?: string[]
}

export async function readBudget(): Promise<BudgetCheck[]> {
  return JSON.parse(await readFile(join(ROOT, '.size-limit.json'), 'utf8')) as BudgetCheck[]
}

const UNITS: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1024 ** 2 }

/** `'6 kB'` → 6000, as size-limit reads a limit (bytes-iec: kB = 1000 B, KiB = 1024 B). */
export function parseLimit(limit: string): number {
  const match = /^\s*([\d.]+)\s*([a-z]+)\s*$/i.exec(limit)
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()]
  if (match === null || unit === undefined) throw new Error(`cannot read the size limit "${limit}"`)
  return Math.round(Number(match[1]) * unit)
}

/**
 * Builds the package with the repository's tsup config into a fresh temporary directory (not
 * dist/, which a developer may be using), without .d.ts and source maps: they are not shipped
 * code.
 */
export async function buildToTemp(): Promise<{ outDir: string; cleanup: () => Promise<void> }> {
  const outDir = await mkdtemp(join(tmpdir(), 'zas-size-'))
  const config = tsupConfig as Options
  await tsupBuild({
    ...config,
    outDir,
    dts: false,
    sourcemap: false,
    clean: true,
    silent: true,
    // The options above are the config: do not load tsup.config.ts a second time.
    config: false,
  })
  return { outDir, cleanup: () => rm(outDir, { recursive: true, force: true }) }
}

export interface EntrySize {
  name: string
  /** The entry and the chunks it imports, bundled but not minified. */
  bundledBytes: number
  minifiedBytes: number
  gzipBytes: number
  brotliBytes: number
}

/**
 * What a store loads on demand with `import()` (the WebSocket jobs machinery), as the build and
 * the sources import it: left out of an entry's size, which is what an app that never loads it
 * ships.
 */
export const ON_DEMAND = ['./jobsRuntime-*', './jobsRuntime']

const bundle = async (files: string[], minify: boolean, external: string[]) => {
  const result = await esbuild({
    stdin: {
      contents: files.map((file) => `export * from ${JSON.stringify(file)}`).join('\n'),
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    external,
    minify,
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]?.contents ?? new Uint8Array()
}

/**
 * Entries (re-exported together when several) bundled and minified by esbuild with the peers
 * external, then gzip -9 and brotli -11: what an app ships for them. `withOnDemand` counts the
 * chunks loaded on demand too (an app that uses every feature).
 */
export async function measureEntries(
  name: string,
  files: string[],
  options: { withOnDemand?: boolean } = {},
): Promise<EntrySize> {
  const external = options.withOnDemand ? PEERS : [...PEERS, ...ON_DEMAND]
  const code = await bundle(files, true, external)
  return {
    name,
    bundledBytes: (await bundle(files, false, external)).byteLength,
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    brotliBytes: brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).byteLength,
  }
}

/** An entry bundled and minified from the TypeScript: the peers and the on-demand chunks left out. */
export const buildFromSource = (entry: string, plugins: Plugin[] = []) =>
  esbuild({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: 'esm',
    external: [...PEERS, ...ON_DEMAND],
    minify: true,
    write: false,
    metafile: true,
    outdir: join(tmpdir(), 'zas-size-from-source'),
    logLevel: 'silent',
    plugins,
  })

/**
 * Minified bytes of an entry per source folder (esbuild's metafile), from the TypeScript; what
 * it loads on demand is not part of it.
 */
export async function breakdown(entry: string): Promise<Array<{ part: string; bytes: number }>> {
  const result = await buildFromSource(entry)
  const parts = new Map<string, number>()
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const part = file.split('/').slice(0, 2).join('/')
      parts.set(part, (parts.get(part) ?? 0) + input.bytesInOutput)
    }
  }
  return [...parts]
    .map(([part, bytes]) => ({ part, bytes }))
    .filter((row) => row.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
}

export interface BudgetResult {
  name: string
  path: string
  sizeBytes: number
  limit: string
  limitBytes: number
  passed: boolean
}

/**
 * size-limit's own API with the plugins of @size-limit/preset-small-lib (esbuild, file) on
 * each check of .size-limit.json, its `dist/` paths pointed at `distDir`. The same numbers
 * `npx size-limit` prints for dist/.
 */
export async function checkBudget(
  distDir: string,
  budget?: BudgetCheck[],
): Promise<BudgetResult[]> {
  const checks = budget ?? (await readBudget())
  const results: BudgetResult[] = []
  for (const check of checks) {
    const file = join(distDir, check.path.replace(/^dist\//, ''))
    const plugins = [esbuildPlugin, filePlugin] as unknown as Parameters<typeof sizeLimit>[0]
    const [measured] = (await sizeLimit(plugins, {
      checks: [{ files: [file], ignore: check.ignore ?? PEERS, gzip: check.gzip ?? true }],
    })) as Array<{ size: number }>
    const limitBytes = parseLimit(check.limit)
    const sizeBytes = measured?.size ?? Number.NaN
    results.push({
      name: check.name,
      path: check.path,
      sizeBytes,
      limit: check.limit,
      limitBytes,
      passed: sizeBytes <= limitBytes,
    })
  }
  return results
}
