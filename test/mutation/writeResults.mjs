// Writes test/mutation/RESULTS.md from the per-folder incremental reports (test/mutation/parts/),
// the hand-written verdicts on the mutants that still survive (test/mutation/verdicts.json) and
// the by-hand runs of the static ones (test/mutation/staticChecks.json, from checkStatic.mjs):
//   node test/mutation/writeResults.mjs
// Run it after `npm run mutate:folder`; it exits 1 (and names them) when a surviving mutant has
// no verdict, so an unexplained survivor cannot slip into the results.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { mutantKey, roundDown, shortPath, spanOf } from './mutantKey.mjs'

const PARTS = 'test/mutation/parts'
const partPaths = readdirSync(PARTS)
  .filter((name) => name.endsWith('.json'))
  .map((name) => `${PARTS}/${name}`)
const files = Object.assign(
  {},
  ...partPaths.map((path) => JSON.parse(readFileSync(path, 'utf8')).files),
)
const lastRun = new Date(Math.max(...partPaths.map((path) => statSync(path).mtimeMs)))

// What test/mutation/checkStatic.mjs found for each static survivor, when it has been run.
const staticChecks = existsSync('test/mutation/staticChecks.json')
  ? JSON.parse(readFileSync('test/mutation/staticChecks.json', 'utf8'))
  : {}
const verdicts = new Map(
  JSON.parse(readFileSync('test/mutation/verdicts.json', 'utf8')).map((entry) => [
    `${entry.file}|${entry.mutator}|${entry.original}|${entry.replacement}`,
    entry.verdict,
  ]),
)

const cell = (text, max = 80) => {
  const flat = text.replace(/\s+/g, ' ').trim()
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
  return `\`${cut.replaceAll('|', '\\|')}\``
}

const survivors = []
const ignored = []
const used = new Set()
for (const [file, { source, mutants }] of Object.entries(files)) {
  for (const mutant of mutants) {
    const where = `${shortPath(file)}:${mutant.location.start.line}`
    const span = spanOf(source, mutant.location)
    if (mutant.status === 'Ignored') ignored.push({ where, mutant })
    if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue
    const key = mutantKey(file, mutant, span)
    const killedBy = mutant.static ? staticChecks[key]?.killedBy : undefined
    if (verdicts.has(key)) used.add(key)
    const verdict =
      verdicts.get(key) ??
      (killedBy ? `static: \`${killedBy}\` fails when it is made by hand` : undefined)
    survivors.push({ where, mutant, span, verdict, killedByHand: Boolean(killedBy) })
  }
}
const byPlace = (a, b) => a.where.localeCompare(b.where, 'en', { numeric: true })
survivors.sort(byPlace)
ignored.sort(byPlace)

const scores = execFileSync('node', ['test/mutation/scoresByFolder.mjs', ...partPaths], {
  encoding: 'utf8',
}).trim()

const count = (...statuses) =>
  Object.values(files).reduce(
    (sum, { mutants }) => sum + mutants.filter((mutant) => statuses.includes(mutant.status)).length,
    0,
  )
const detected = count('Killed', 'Timeout')
const valid = count('Killed', 'Timeout', 'Survived', 'NoCoverage')
const killedByHand = survivors.filter((survivor) => survivor.killedByHand).length
const percent = (part) => `${roundDown((100 * part) / valid)}%`

const missing = survivors.filter((survivor) => survivor.verdict === undefined)
const lines = [
  '# Mutation testing results',
  '',
  `- Machine: ${cpus().length} cores, Node ${process.version}`,
  `- Last folder run: ${lastRun.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '- Command: `npm run mutate:folder -- <folder>` for each folder (StrykerJS 9.6.1, vitest runner,',
  '  `perTest` coverage, `concurrency: 2`, config `stryker.config.json` + `vitest.stryker.config.ts`);',
  '  each folder keeps its incremental report in `test/mutation/parts/`. This file is written by',
  '  `node test/mutation/writeResults.mjs` from those reports and `test/mutation/verdicts.json`.',
  '',
  'Score = (killed + timed out) / (killed + timed out + survived + no coverage). Mutants marked in the',
  'source with `// Stryker disable next-line <mutator>: <reason>` are "ignored" and not counted; they',
  'are listed at the end with their reasons.',
  '',
  scores,
  '',
  `Of the survivors, ${killedByHand} are static mutants that a test kills when the change is made by`,
  `hand (below). Counted as killed, the total would be ${percent(detected + killedByHand)} instead of ${percent(detected)}.`,
  '',
  `## Every mutant that survives (${survivors.length}), and why`,
  '',
  'Each has a verdict: a **static** mutant is one that a test kills when the change is made by hand,',
  'but that this configuration cannot switch on (a module-level constant, evaluated once because',
  'test files share modules: `isolate: false`, which makes a suite run 55 s → 20 s); **equivalent**',
  'ones no behaviour can tell apart but cannot carry a comment (the line is shared with a real one);',
  '**bug** ones point at a known defect, left for its own fix.',
  '',
  '| where | mutator | status | mutated code → replacement | verdict |',
  '| --- | --- | --- | --- | --- |',
  ...survivors.map(
    ({ where, mutant, span, verdict }) =>
      `| ${where} | ${mutant.mutatorName} | ${mutant.status} | ${cell(span)} → ${cell(mutant.replacement, 40)} | ${verdict?.replaceAll('|', '\\|') ?? '**no verdict yet**'} |`,
  ),
  '',
  `## Equivalent mutants marked in the source (${ignored.length})`,
  '',
  '| where | mutator | reason (from the comment) |',
  '| --- | --- | --- |',
  ...ignored.map(
    ({ where, mutant }) =>
      `| ${where} | ${mutant.mutatorName} | ${(mutant.statusReason ?? '').replaceAll('|', '\\|')} |`,
  ),
  '',
]
writeFileSync('test/mutation/RESULTS.md', lines.join('\n'))
if (missing.length > 0) {
  console.error(
    `${missing.length} surviving mutants have no verdict in test/mutation/verdicts.json:`,
  )
  // Printed as entries to copy into verdicts.json and complete.
  const todo = missing.map(({ where, mutant, span }) => ({
    file: where.replace(/:\d+$/, ''),
    mutator: mutant.mutatorName,
    original: span,
    replacement: mutant.replacement,
    verdict: '',
  }))
  console.error(JSON.stringify(todo, null, 2))
  process.exit(1)
}
// A verdict whose mutant is gone (killed by a later test, or its code removed) says nothing.
const unused = [...verdicts.keys()].filter((key) => !used.has(key))
if (unused.length > 0) {
  console.error(`${unused.length} verdicts match no survivor; remove them from verdicts.json:`)
  for (const key of unused) console.error(`  ${key}`)
  process.exit(1)
}
console.log(`test/mutation/RESULTS.md: ${survivors.length} survivors, each with a verdict`)
