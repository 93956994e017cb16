import { REDACTED, REDACTED_JWT } from './redact'

type State = Record<string, unknown>

/** What proves the session: the monitor only ever saw these redacted, so it cannot give them back. */
const CREDENTIALS = ['token', 'refreshToken', 'expiresAt'] as const
/** What says whether there is a session at all. */
const SESSION = [...CREDENTIALS, 'status', 'signOutReason'] as const

const isPlaceholder = (value: unknown) => value === REDACTED_JWT || value === REDACTED

/**
 * A state the monitor sends back (time travel, import), made safe to apply. Time travel shows
 * the app in past states, but it never starts or ends the session: only a 401, a logout or the
 * idle timeout may sign the user out, and an ended session's token is gone for good.
 * - a signed-in state while signed in keeps the live credentials (a past `expiresAt` belongs to
 *   a past token) and travels the rest (`status`, `error`, ...);
 * - any other state keeps the live session (credentials, `status`, `signOutReason`): a
 *   signed-out one does not sign out, a signed-in one does not sign in without a token;
 * - any other placeholder (a secret under another key) becomes the live value.
 * A token the developer typed in the monitor is no placeholder: it is applied as given.
 */
export function restoreSession(incoming: State, live: State): State {
  const restored: State = { ...incoming }
  for (const [key, value] of Object.entries(incoming)) {
    if (isPlaceholder(value)) restored[key] = live[key]
  }
  if (typeof incoming.token === 'string' && !isPlaceholder(incoming.token)) return restored
  const keep =
    isPlaceholder(incoming.token) && typeof live.token === 'string' ? CREDENTIALS : SESSION
  for (const key of keep) restored[key] = live[key]
  return restored
}
