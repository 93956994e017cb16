import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fixed, type Section } from '../lib/report'
import { coreWithout, OPTIONAL_PARTS } from './coreWithout'
import { breakdown, buildToTemp, checkBudget, type EntrySize, measureEntries } from './measureSize'

const kB = (bytes: number) => `${fixed(bytes / 1000, 2)} kB`

export const sizeSection: Section = {
  id: 'size',
  title: '6. Size: the ESM build, minified + gzipped, peers external',
  async run({ log }) {
    const { outDir, cleanup } = await buildToTemp()
    try {
      log('size: built with tsup')
      const jobsChunk = (await readdir(outDir)).find((file) => /^jobsRuntime-.*\.js$/.test(file))
      if (jobsChunk === undefined) throw new Error('the build has no jobsRuntime-*.js chunk')
      const entries: EntrySize[] = [
        await measureEntries('zustand-auth-session (dist/index.js)', [join(outDir, 'index.js')]),
        await measureEntries('WebSocket jobs, loaded on demand (dist/jobsRuntime-*.js)', [
          join(outDir, jobsChunk),
        ]),
        await measureEntries('zustand-auth-session/axios (dist/axios.js)', [
          join(outDir, 'axios.js'),
        ]),
        await measureEntries(
          'whole package (both entries and the WebSocket jobs)',
          [join(outDir, 'index.js'), join(outDir, 'axios.js')],
          { withOnDemand: true },
        ),
      ]
      const budget = await checkBudget(outDir)
      const parts = await breakdown('src/index.ts')
      const partsTotal = parts.reduce((sum, part) => sum + part.bytes, 0)
      const whatIf = []
      for (let count = 0; count <= OPTIONAL_PARTS.length; count++) {
        const label =
          count === 0
            ? 'the core as built'
            : `without ${OPTIONAL_PARTS.slice(0, count)
                .map((part) => part.name)
                .join(', ')}`
        whatIf.push({ label, ...(await coreWithout(count)) })
      }
      return {
        data: { entries, budget, coreBreakdown: parts, coreWithout: whatIf },
        tables: [
          {
            title: 'Per entry and whole (esbuild bundle + minify, zlib)',
            columns: ['entry', 'bundled', 'minified', 'gzip -9', 'brotli -11'],
            rows: entries.map((entry) => [
              entry.name,
              kB(entry.bundledBytes),
              kB(entry.minifiedBytes),
              kB(entry.gzipBytes),
              kB(entry.brotliBytes),
            ]),
            notes: [
              'Built by tsup with tsup.config.ts (no .d.ts or maps); each entry bundled with the chunks it imports; react, zustand, immer, axios and jwt-decode external. 1 kB = 1,000 B.',
              'The WebSocket jobs machinery is a chunk of its own that a store loads with import() only when it has the `websocket` option: an app without WebSocket jobs ships the first row alone. The jobs row includes the small shared chunks it imports, which the core has already.',
            ],
          },
          {
            title: 'Budget (.size-limit.json, size-limit API, gzip)',
            columns: ['check', 'size', 'limit', 'result'],
            rows: budget.map((check) => [
              check.name,
              kB(check.sizeBytes),
              check.limit,
              check.passed ? 'pass' : `FAIL (+${kB(check.sizeBytes - check.limitBytes)})`,
            ]),
            notes: [
              'size-limit subtracts the gzip of an empty esbuild project, so its sizes are a little below the table above. Enforced by test/bench/sizeBudget.test.ts in `npm test`.',
            ],
          },
          {
            title:
              'Where the core’s bytes go (minified, before compression; without the on-demand WebSocket jobs)',
            columns: ['source', 'minified', 'share'],
            rows: parts.map((part) => [
              part.part,
              kB(part.bytes),
              `${fixed((100 * part.bytes) / partsTotal, 0)}%`,
            ]),
          },
          {
            title:
              'What-if for the 6 kB goal: the core without its optional parts, one more per row',
            columns: ['core entry', 'minified', 'gzip -9'],
            rows: whatIf.map((row) => [row.label, kB(row.minifiedBytes), kB(row.gzipBytes)]),
            notes: [
              'From the TypeScript (esbuild), each part taken out by replacing the module that wires it into createAuthStore with a no-op of the same shape. Nothing here ships: it says what each part costs the core.',
              'The websocket option: its checks and the wait for the on-demand chunk (the machinery itself is already out). The devtools wrapper: redaction and safe time travel for Redux DevTools.',
            ],
          },
        ],
      }
    } finally {
      await cleanup()
    }
  },
}
