import type { FaultCell } from '../faults/faultsSection'
import type { RendersRow } from '../renders/rendersSection'
import type { SingleFlightRun } from '../singleFlight/singleFlightSection'
import type { EntrySize } from '../size/measureSize'
import type { SocketsRow } from '../sockets/socketsSection'
import type { TabsRow } from '../tabs/tabsSection'
import { fixed, markdownTable, type SectionResult, type Table } from './report'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/**
 * The README's headline table, built only from numbers the run printed (the sections' data):
 * one row per claim, legacy and first-fix alongside where the fault simulation has them.
 */
export function headlineTable(results: SectionResult[]): Table {
  const data = <T>(id: string) => results.find((result) => result.id === id)?.data as T | undefined
  const rows: Table['rows'] = []

  const faults = data<{ sessionsPerCell: number; cells: FaultCell[] }>('faults')
  if (faults) {
    const at = (policy: string, rate = 0.05) =>
      faults.cells.find((cell) => cell.policy === policy && cell.failureRate === rate) as FaultCell
    const share = (cell: FaultCell) =>
      `${fixed((100 * cell.sessionsWithPrematureSignOut) / cell.sessions, 1)}%`
    const n = faults.sessionsPerCell
    rows.push(
      [
        `Sessions with a premature sign-out (8 active h, 5% of requests failing, outages, sleep, throttling; ${n} sessions)`,
        share(at('legacy')),
        share(at('window-fix')),
        share(at('library')),
      ],
      [
        '… with 20% of requests failing',
        share(at('legacy', 0.2)),
        share(at('window-fix', 0.2)),
        share(at('library', 0.2)),
      ],
      [
        'Sessions signed out because a refresh reached the server too late (its 401 outside the sleep), 5% / 20% failing',
        ...['legacy', 'window-fix', 'library'].map((policy) => {
          const late = (cell: FaultCell) =>
            `${fixed((100 * cell.sessionsSignedOutByServer401Elsewhere) / cell.sessions, 1)}%`
          return `${late(at(policy))} / ${late(at(policy, 0.2))}`
        }),
      ],
      [
        'Validate + refresh requests per active hour (5% failing)',
        fixed(at('legacy').requestsPerActiveHour, 1),
        fixed(at('window-fix').requestsPerActiveHour, 1),
        fixed(at('library').requestsPerActiveHour, 1),
      ],
      [
        'Idle user signed out after 60:00 + (min … max), 5% failing',
        ...['legacy', 'window-fix', 'library'].map((policy) => {
          const { idle } = at(policy)
          return idle.minErrorMs === null || idle.maxErrorMs === null
            ? `${idle.signedOutEarly}/${n} signed out early`
            : `${fixed(idle.minErrorMs / 1000, 1)} … ${fixed(idle.maxErrorMs / 1000, 1)} s${idle.signedOutEarly ? ` (${idle.signedOutEarly} early)` : ''}`
        }),
      ],
    )
  }
  const library = (value: string) => ['', '', value]

  const tabs = data<{ rows: TabsRow[] }>('tabs')
  if (tabs) {
    const together = (configuration: string) =>
      tabs.rows.filter((row) => !row.staggered && row.configuration === configuration)
    const perHour = (configuration: string) =>
      together(configuration)
        .map((row) => fixed(row.requestsPerHour, 1))
        .join(' / ')
    rows.push([
      `Server requests per hour with ${together('library')
        .map((row) => row.tabs)
        .join(' / ')} tabs (no failures)`,
      '',
      perHour('first fix'),
      perHour('library'),
    ])
  }
  const renders = data<{ rows: RendersRow[] }>('renders')
  const quiet = renders?.rows[0]
  if (quiet) {
    rows.push([
      `Re-renders of a \`useAuthStore(selectStatus)\` component / store writes per tick, ${quiet.ticks} quiet ticks`,
      ...library(`${quiet.rendersAfterFirst} / ${fixed(quiet.writesPerTick, 0)}`),
    ])
  }
  const flights = data<{ runs: SingleFlightRun[] }>('singleFlight')
  if (flights?.runs.length) {
    const runs = flights.runs
    rows.push([
      `${runs[0]?.calls} concurrent 401s through \`createAuthClient\`: refresh requests, median time to release the queue`,
      ...library(
        `${Math.max(...runs.map((run) => run.refreshRequests))}, ${fixed(median(runs.map((run) => run.releaseMs)), 0)} ms`,
      ),
    ])
  }
  const sockets = data<{ rows: SocketsRow[] }>('sockets')
  const byDefault = sockets?.rows[0]
  if (sockets && byDefault) {
    const lost = sockets.rows.reduce((sum, row) => sum + row.lost + row.duplicated, 0)
    rows.push([
      `${byDefault.jobs} job sockets after a token change: time to all open (default strategy), events lost or duplicated (all strategies)`,
      ...library(`${fixed(byDefault.allOpenMs, 0)} ms, ${lost}`),
    ])
  }
  const size = data<{ entries: EntrySize[] }>('size')
  if (size) {
    rows.push([
      'Minified + gzipped, peers external: core / axios entry',
      ...library(
        size.entries
          .slice(0, 2)
          .map((entry) => `${fixed(entry.gzipBytes / 1000, 1)} kB`)
          .join(' / '),
      ),
    ])
  }
  return {
    title: 'Headline numbers (`npm run bench`)',
    columns: ['', 'original app', 'first fix', 'zustand-auth-session'],
    rows,
  }
}

export const renderHeadline = (table: Table) => `${markdownTable(table)}\n`
