import type { AuthState } from '../../../src/index'
import type { DevtoolsEntry } from './devtoolsLog'
import { useObservable } from './observable'
import type { PageSession } from './session'

/** Written every few (page) seconds while all is well; kept in the log data, not on screen. */
const ROUTINE = new Set(['auth/activity', 'tabs/activity', 'ws/message'])

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

function describe(entry: DevtoolsEntry): string {
  const parts = [`status=${entry.status ?? '?'}`, `token=${entry.token ?? 'null'}`]
  if (entry.expiresAt !== null) parts.push(`token left ${seconds(entry.expiresAt - entry.at)}`)
  if (entry.signOutReason) parts.push(`reason=${entry.signOutReason}`)
  if (entry.errorKind) parts.push(`error=${entry.errorKind}`)
  return parts.join(' · ')
}

/** Every devtools action but the routine ones, oldest first, with the page time it was sent. */
export function DevtoolsLogView({ session }: { session: PageSession }) {
  const entries = useObservable(session.devtools.entries)
  const start = session.config.epoch
  return (
    <section>
      <h2>Devtools actions</h2>
      <ol data-testid="log">
        {entries
          .filter((entry) => !ROUTINE.has(entry.type))
          .map((entry) => (
            <li
              key={entry.id}
              data-action={entry.type}
              data-at={entry.at}
              data-left-ms={entry.expiresAt === null ? undefined : entry.expiresAt - entry.at}
            >
              +{seconds(entry.at - start)} <code>{entry.type}</code>{' '}
              <small>{describe(entry)}</small>
            </li>
          ))}
      </ol>
    </section>
  )
}

const selectJobs = (state: AuthState) => state.jobs

/** Each job's steps as its listener received them, and what the store says of its socket. */
export function JobsView({ session }: { session: PageSession }) {
  const jobs = useObservable(session.jobs.jobs)
  const states = session.store(selectJobs)
  const names = Object.keys(jobs)
  if (names.length === 0) return null
  return (
    <section>
      <h2>Jobs</h2>
      <ul>
        {names.map((name) => {
          const { seqs = [], done = false } = jobs[name] ?? {}
          const last = seqs.at(-1) ?? 0
          const missing = Array.from({ length: last }, (_, i) => i + 1).filter(
            (seq) => !seqs.includes(seq),
          )
          return (
            <li key={name} data-testid={`job-${name}`} data-seqs={seqs.join(',')} data-done={done}>
              <strong>{name}</strong>: socket {states[name]?.status ?? 'none'} · {seqs.length} steps
              received, last {last} · missing {missing.length ? missing.join(', ') : 'none'} ·
              duplicates {seqs.length - new Set(seqs).size}
              {done && ' · done'}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
