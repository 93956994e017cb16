// How a surviving mutant is named in verdicts.json and staticChecks.json: by what it changes, not
// by its line number, which moves whenever code above it changes.

/** `auth/token.ts` for `src/auth/token.ts`. */
export const shortPath = (file) => file.replace(/^src\//, '')

/** The code the mutant replaces, from Stryker's 1-based lines and columns (end exclusive). */
export function spanOf(source, { start, end }) {
  const lines = source.split('\n').slice(start.line - 1, end.line)
  lines[lines.length - 1] = lines[lines.length - 1].slice(0, end.column - 1)
  lines[0] = lines[0].slice(start.column - 1)
  return lines.join('\n')
}

/** `file|mutator|original code|replacement`. */
export const mutantKey = (file, mutant, span) =>
  `${shortPath(file)}|${mutant.mutatorName}|${span}|${mutant.replacement}`

/** A score to one decimal, rounded down: 2,468 of 2,469 is 99.9 %, never "100.0 %". */
export const roundDown = (percent) => (Math.floor(percent * 10) / 10).toFixed(1)
