import { useId, useState, useSyncExternalStore } from 'react'
import type { DevtoolsEntry, DevtoolsRecorder } from './devtoolsRecorder'

/** Written every few seconds while all is well: user activity, job progress bookkeeping. */
const ROUTINE_ACTIONS = new Set(['auth/activity', 'tabs/activity', 'ws/message'])

const timeOf = (at: number) => {
  const date = new Date(at)
  const hhmmss = date.toLocaleTimeString('en-GB', { hour12: false })
  return `${hhmmss}.${String(date.getMilliseconds()).padStart(3, '0')}`
}

/** The parts of the (redacted) state worth a glance: status, token as devtools saw it, error. */
function summary(entry: DevtoolsEntry): string {
  const { status, token, error, signOutReason } = entry.state as {
    status?: string
    token?: string | null
    error?: { kind?: string } | null
    signOutReason?: string | null
  }
  const parts = [`status=${status ?? '?'}`, `token=${token ?? 'null'}`]
  if (error?.kind) parts.push(`error=${error.kind}`)
  if (signOutReason) parts.push(`reason=${signOutReason}`)
  return parts.join('  ')
}

/** Newest first: what the store sent Redux DevTools, tokens already redacted by the library. */
export function DevtoolsLog({ recorder }: { recorder: DevtoolsRecorder }) {
  const entries = useSyncExternalStore(recorder.subscribe, recorder.entries, recorder.entries)
  const [hideRoutine, setHideRoutine] = useState(true)
  const headingId = useId()
  const shown = entries.filter((entry) => !(hideRoutine && ROUTINE_ACTIONS.has(entry.type)))

  return (
    <section aria-labelledby={headingId} className="devtools-log">
      <h2 id={headingId}>Devtools actions</h2>
      <label>
        <input
          type="checkbox"
          checked={hideRoutine}
          onChange={(event) => setHideRoutine(event.currentTarget.checked)}
        />{' '}
        Hide routine actions (<code>auth/activity</code>, <code>ws/message</code>)
      </label>
      {shown.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ol aria-labelledby={headingId}>
          {[...shown].reverse().map((entry) => (
            <li key={entry.id}>
              <time dateTime={new Date(entry.at).toISOString()}>{timeOf(entry.at)}</time>{' '}
              <code data-part="action">{entry.type}</code>
              <br />
              <small>{summary(entry)}</small>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
