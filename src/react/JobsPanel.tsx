import { useId } from 'react'
import type { AuthState } from '../storeTypes'
import type { JobState, JobStatus } from '../websocket/jobState'
import { useAuthStoreContext } from './AuthStoreProvider'
import { useJobProgress } from './useJobProgress'

export interface JobsPanelProps {
  /** The jobs to follow; each is subscribed while the panel shows it. */
  jobNames: readonly string[]
  /** The heading. @default 'Jobs' */
  title?: string
  className?: string
}

export const jobStatusLabels: Record<JobStatus, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Closed until you sign in',
  failed: 'Failed: retried with the next token or sign-in',
}

/**
 * Job progress over WebSockets that follow the session: each job's connection status, its
 * progress (from the events its listener receives) and its reconnect attempts.
 */
export function JobsPanel({ jobNames, title = 'Jobs', className }: JobsPanelProps) {
  const headingId = useId()
  return (
    <section aria-labelledby={headingId} className={className}>
      <h2 id={headingId}>{title}</h2>
      {jobNames.length === 0 ? (
        <p>No jobs.</p>
      ) : (
        <ul aria-labelledby={headingId}>
          {jobNames.map((name) => (
            <JobRow key={name} name={name} />
          ))}
        </ul>
      )}
    </section>
  )
}

function JobRow({ name }: { name: string }) {
  const useAuthStore = useAuthStoreContext()
  // One job's entry: immer replaces it only when that job changes, so other jobs' writes do
  // not re-render this row.
  const job: JobState | undefined = useAuthStore((state: AuthState) => state.jobs[name])
  const progress = useJobProgress(name)
  const nameId = useId()
  const status = job?.status
  const attempts = job?.attempts ?? 0

  return (
    <li aria-labelledby={nameId} data-status={status ?? 'none'}>
      <h3 id={nameId}>{name}</h3>
      <p role="status" data-part="status">
        {progress.problem ?? (status ? jobStatusLabels[status] : 'Not connected')}
        {progress.done && ' Done.'}
      </p>
      <progress
        aria-label={`${name} progress`}
        max={100}
        // No value while nothing has arrived: an indeterminate bar, not a false 0 %.
        value={progress.percent ?? undefined}
      >
        {progress.percent === null ? '' : `${progress.percent} %`}
      </progress>
      <span data-part="percent" aria-hidden="true">
        {progress.percent === null ? '–' : `${progress.percent} %`}
      </span>
      <p data-part="attempts">
        Reconnect attempts: <strong>{attempts}</strong>
      </p>
      {job?.error && (
        <p data-part="error" data-kind={job.error.kind}>
          Last error: <code>{job.error.message}</code>
        </p>
      )}
    </li>
  )
}
