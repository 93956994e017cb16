// Joins the per-folder incremental reports (test/mutation/parts/*.json, from
// `npm run mutate:folder`) into the whole run's incremental file that `npm run mutate` reads
// (test/mutation/stryker-incremental.json):
//   node test/mutation/mergeParts.mjs
// So a whole run on a fresh clone reuses every folder's result and tests only what changed since.
// Each part numbers its tests from 0; Stryker matches tests between runs by file and name, so the
// tests are renumbered here by file and name, and every mutant's coveredBy/killedBy with them.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'

const PARTS = 'test/mutation/parts'
const OUT = 'test/mutation/stryker-incremental.json'

// Oldest first, so a test file's source is the newest part's: the one its results were measured on.
const parts = readdirSync(PARTS)
  .filter((name) => name.endsWith('.json'))
  .map((name) => `${PARTS}/${name}`)
  .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
  .map((path) => JSON.parse(readFileSync(path, 'utf8')))

/** One id per test file and name, across every part. */
const ids = new Map()
const testFiles = {}
const idOf = (file, test) => {
  const key = `${file}\u0000${test.name}`
  let id = ids.get(key)
  if (id === undefined) {
    id = String(ids.size)
    ids.set(key, id)
    testFiles[file] ??= { source: '', tests: [] }
    testFiles[file].tests.push({ ...test, id })
  }
  return id
}

const files = {}
for (const part of parts) {
  const renumber = new Map()
  for (const [file, { source, tests }] of Object.entries(part.testFiles ?? {})) {
    for (const test of tests) renumber.set(test.id, idOf(file, test))
    if (testFiles[file]) testFiles[file].source = source
  }
  const mapIds = (list) => list?.map((id) => renumber.get(id) ?? id)
  for (const [file, report] of Object.entries(part.files)) {
    files[file] = {
      ...report,
      mutants: report.mutants.map((mutant) => ({
        ...mutant,
        coveredBy: mapIds(mutant.coveredBy),
        killedBy: mapIds(mutant.killedBy),
      })),
    }
  }
}

const [first] = parts
writeFileSync(OUT, JSON.stringify({ ...first, files, testFiles }))
const mutants = Object.values(files).reduce((sum, file) => sum + file.mutants.length, 0)
console.log(
  `${OUT}: ${Object.keys(files).length} source files, ${mutants} mutants, ${ids.size} tests`,
)
