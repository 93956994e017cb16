import { useId } from 'react'
import { selectStatus, selectTimeUntilExpiry } from '../auth/selectors'
import type { AuthState } from '../storeTypes'
import { useAuthStoreContext, useNow } from './AuthStoreProvider'
import { formatCountdown, isoDuration } from './formatDuration'
import { errorKindLabels, signOutReasonLabels, statusLabels, statusToShow } from './sessionText'

export interface SessionStatusProps {
  /**
   * Below this much time left the countdown says the session expires soon; give it the
   * store's `refreshWindowMs`. @default 300_000
   */
  expiringSoonMs?: number
  /** The heading. @default 'Session' */
  title?: string
  className?: string
}

const selectError = (state: AuthState) => state.error
const selectSignOutReason = (state: AuthState) => state.signOutReason

/**
 * The session at a glance: status, a live countdown to the access token's expiry, the last
 * error and why the user was signed out.
 *
 * Screen readers hear the status line (a polite live region) when the status, the
 * "expires soon" notice or the sign-out reason changes; the per-second countdown is a
 * `timer`, which is not announced, or it would talk over everything else.
 */
export function SessionStatus({
  expiringSoonMs = 300_000,
  title = 'Session',
  className,
}: SessionStatusProps) {
  const useAuthStore = useAuthStoreContext()
  const now = useNow()
  const status = useAuthStore(selectStatus)
  const untilExpiry = useAuthStore(selectTimeUntilExpiry(now))
  const error = useAuthStore(selectError)
  const signOutReason = useAuthStore(selectSignOutReason)
  const headingId = useId()

  const shown = statusToShow(status, error)
  const expired = untilExpiry !== null && untilExpiry <= 0
  const expiringSoon = untilExpiry !== null && !expired && untilExpiry < expiringSoonMs
  const notice = expired ? 'The access token has expired.' : expiringSoon ? 'Expires soon.' : null

  return (
    <section
      aria-labelledby={headingId}
      className={className}
      data-status={shown}
      data-expiring-soon={expiringSoon || undefined}
    >
      <h2 id={headingId}>{title}</h2>
      <p role="status" data-part="status">
        <strong>{statusLabels[shown]}</strong>
        {notice && <span data-part="notice"> {notice}</span>}
        {status === 'signedOut' && signOutReason && (
          <span data-part="reason"> {signOutReasonLabels[signOutReason]}</span>
        )}
      </p>
      {untilExpiry !== null && (
        <p data-part="expiry">
          {expired ? 'Expired ' : 'Expires in '}
          <time role="timer" aria-live="off" dateTime={isoDuration(untilExpiry)}>
            {formatCountdown(untilExpiry)}
          </time>
          {expired ? ' ago' : null}
        </p>
      )}
      {error && (
        <p data-part="error" data-kind={error.kind}>
          <span>{errorKindLabels[error.kind]}</span>
          {error.status !== undefined && <span> (HTTP {error.status})</span>}
          <span>: </span>
          <code>{error.message}</code>
        </p>
      )}
    </section>
  )
}
