// Checks by hand the "static" mutants that Stryker reports as surviving:
//   node test/mutation/checkStatic.mjs [--all]
// A static mutant changes code that runs once, when its module is evaluated (a module-level
// constant, a regular expression). vitest.stryker.config.ts shares modules between test files
// (`isolate: false`), so Stryker cannot switch such a mutant on: it reports "Survived" whatever
// the tests do. This script makes each such change in the source file itself, runs the suite
// once (stopping at the first failure), puts the file back, and records in
// test/mutation/staticChecks.json which test failed, or that none did. writeResults.mjs reads it.
// It edits src/ while it runs: do not run anything else on this checkout meanwhile.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mutantKey, spanOf } from './mutantKey.mjs'

const PARTS = 'test/mutation/parts'
const OUT = 'test/mutation/staticChecks.json'
const REPORT = 'reports/mutation/static-check.json'

const files = Object.assign(
  {},
  ...readdirSync(PARTS)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(`${PARTS}/${name}`, 'utf8')).files),
)

/** The source with the mutant's span replaced, located by Stryker's 1-based lines and columns. */
function applyMutant(source, { location, replacement }) {
  const lines = source.split('\n')
  const offsetOf = ({ line, column }) =>
    lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1
  return (
    source.slice(0, offsetOf(location.start)) + replacement + source.slice(offsetOf(location.end))
  )
}

/** Runs the mutation suite; returns the first failing test as `file › name`, or null. */
function firstFailure() {
  rmSync(REPORT, { force: true })
  spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'vitest.stryker.config.ts',
      '--bail',
      '1',
      '--reporter=json',
      `--outputFile=${REPORT}`,
    ],
    { stdio: 'ignore' },
  )
  const report = JSON.parse(readFileSync(REPORT, 'utf8'))
  for (const file of report.testResults) {
    const failed = file.assertionResults.find((test) => test.status === 'failed')
    const where = file.name.replace(`${process.cwd()}/`, '')
    if (failed) return `${where} › ${failed.fullName}`
    // A file that fails to load (the mutant broke an import) has no test results, only a message.
    if (file.status === 'failed') return `${where} (does not load)`
  }
  return null
}

// Mutants checked before keep their result (the key names the exact change); `--all` redoes them.
const results =
  existsSync(OUT) && !process.argv.includes('--all') ? JSON.parse(readFileSync(OUT, 'utf8')) : {}
/** Puts back the file being mutated, also when the run is interrupted. */
let restore = () => {}
process.on('SIGINT', () => {
  restore()
  process.exit(130)
})
for (const [file, { source, mutants }] of Object.entries(files)) {
  const statics = mutants.filter((mutant) => mutant.static && mutant.status === 'Survived')
  if (statics.length === 0) continue
  const onDisk = readFileSync(file, 'utf8')
  if (onDisk !== source) {
    console.error(`${file} changed since its mutation run: rerun its folder first; skipped`)
    continue
  }
  for (const mutant of statics) {
    const key = mutantKey(file, mutant, spanOf(source, mutant.location))
    if (key in results) continue
    writeFileSync(file, applyMutant(source, mutant))
    restore = () => writeFileSync(file, source)
    try {
      results[key] = { killedBy: firstFailure() }
    } finally {
      writeFileSync(file, source)
    }
    console.log(`${results[key].killedBy ? 'killed ' : 'SURVIVES'} ${key}`)
  }
}
writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`)
console.log(`${Object.keys(results).length} static mutants checked: ${OUT}`)
