// Mutation testing of one src/ folder at a time (`npm run mutate:folder -- http`), each with its
// own incremental file in test/mutation/parts/, so a rerun tests only what changed there. The
// whole of src/ in one run (`npm run mutate`) takes about two hours on two cores; a folder takes
// 1 to 45 minutes. Prints the folder's score at the end (test/mutation/scoresByFolder.mjs).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const folder = process.argv[2]
// `root`: the files directly in src/ (createAuthStore.ts, runtime.ts), without the type-only
// and re-export files stryker.config.json leaves out.
const ROOT = [
  'src/*.ts',
  ...['types', 'options', 'storeTypes', 'index', 'axios', 'react'].map((name) => `!src/${name}.ts`),
]
if (!folder || (folder !== 'root' && !existsSync(`src/${folder}`))) {
  console.error('usage: npm run mutate:folder -- <root | a folder under src/, e.g. auth>')
  process.exit(2)
}
// The same exclusions as stryker.config.json (re-exports and the components' markup).
const mutate =
  folder === 'root'
    ? ROOT
    : [`src/${folder}/**/*.ts`, `src/${folder}/**/*.tsx`, '!src/**/index.ts', '!src/react/*.tsx']
const part = `test/mutation/parts/${folder}.json`
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1

const status = run('npx', [
  'stryker',
  'run',
  '--mutate',
  mutate.join(','),
  '--incrementalFile',
  part,
])
if (status !== 0) process.exit(status)
process.exit(run('node', ['test/mutation/scoresByFolder.mjs', part]))
