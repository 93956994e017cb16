// Prints the mutation score of each src/ folder from Stryker's JSON reports, as a Markdown
// table for the README and test/bench/RESULTS.md:
//   node test/mutation/scoresByFolder.mjs [report.json ...]
// Without arguments: the per-folder incremental reports in test/mutation/parts/ together
// (`npm run mutate:folder`), or else the whole-run report reports/mutation/mutation.json.
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker counts it;
// ignored mutants (Stryker disable comments) and compile errors are left out.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { roundDown } from './mutantKey.mjs'

const PARTS = 'test/mutation/parts'
const parts = existsSync(PARTS)
  ? readdirSync(PARTS)
      .filter((name) => name.endsWith('.json'))
      .map((name) => `${PARTS}/${name}`)
  : []
const given = process.argv.slice(2)
const reportPaths =
  given.length > 0 ? given : parts.length > 0 ? parts : ['reports/mutation/mutation.json']
const reportFiles = Object.assign(
  {},
  ...reportPaths.map((path) => JSON.parse(readFileSync(path, 'utf8')).files),
)

const empty = () => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 })
const keyOf = {
  Killed: 'killed',
  Timeout: 'timeout',
  Survived: 'survived',
  NoCoverage: 'noCoverage',
  Ignored: 'ignored',
}
const folders = new Map()
const total = empty()

for (const [file, { mutants }] of Object.entries(reportFiles)) {
  const folder =
    file
      .split('/')
      .slice(0, -1)
      .join('/')
      .replace(/^.*?src/, 'src') || 'src'
  const counts = folders.get(folder) ?? empty()
  folders.set(folder, counts)
  for (const mutant of mutants) {
    const key = keyOf[mutant.status]
    if (!key) continue
    counts[key] += 1
    total[key] += 1
  }
}

const score = (c) => {
  const detected = c.killed + c.timeout
  const valid = detected + c.survived + c.noCoverage
  return valid === 0 ? 'n/a' : `${roundDown((100 * detected) / valid)}%`
}
const row = (name, c) =>
  `| ${name} | ${score(c)} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.ignored} |`

console.log('| folder | score | killed | timeout | survived | no coverage | ignored (reasoned) |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const name of [...folders.keys()].sort()) {
  console.log(row(name === 'src' ? 'src/*.ts (createAuthStore, runtime)' : name, folders.get(name)))
}
console.log(row('**all folders above**', total))
