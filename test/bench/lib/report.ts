import { cpus, platform, release } from 'node:os'

/** One printed table: a title, a header row and the rows, as they appear in RESULTS.md. */
export interface Table {
  title: string
  columns: string[]
  rows: Array<Array<string | number>>
  /** Lines printed under the table (definitions, caveats). */
  notes?: string[]
}

export interface SectionResult {
  id: string
  title: string
  tables: Table[]
  /** Machine-readable numbers, for `--json`. */
  data: unknown
  seconds: number
}

export interface SectionOptions {
  /** Progress lines; stderr, so `--json` keeps stdout clean. */
  log: (line: string) => void
  /** Section-specific overrides from the command line (`--sessions 200`). */
  args: Record<string, string>
}

export interface Section {
  id: string
  title: string
  run(options: SectionOptions): Promise<Omit<SectionResult, 'seconds' | 'id' | 'title'>>
}

export function machine() {
  const cpu = cpus()
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    os: `${platform()} ${release()}`,
  }
}

const cell = (value: string | number) => String(value).replace(/\|/g, '\\|')

export function markdownTable(table: Table): string {
  const lines = [
    `| ${table.columns.map(cell).join(' | ')} |`,
    `|${table.columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ]
  return lines.join('\n')
}

export function renderSection(result: SectionResult, heading = '##'): string {
  const parts = [`${heading} ${result.title}`, '']
  for (const table of result.tables) {
    parts.push(`**${table.title}**`, '', markdownTable(table), '')
    for (const note of table.notes ?? []) parts.push(`- ${note}`)
    if (table.notes?.length) parts.push('')
  }
  parts.push(`_Section time: ${result.seconds.toFixed(1)} s_`, '')
  return parts.join('\n')
}

/** Fixed-point formatting that keeps tables narrow. */
export const fixed = (value: number, digits = 2) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–'

/** `12.3 s` / `-1.2 s` from ms. */
export const seconds = (ms: number | null, digits = 1) =>
  ms === null || !Number.isFinite(ms) ? '–' : `${(ms / 1000).toFixed(digits)} s`
