import { type AxiosInstance, isAxiosError } from 'axios'
import { SessionEndedError } from '../errors/SessionEndedError'
import type { AuthClientStore } from './authClientStore'
import type { RefreshRounds } from './refreshRounds'
import { asRetry, sentWithOf, wasRetried } from './requestMarks'

/**
 * The response interceptor's error half: a 401 to a request that carried our token gets one
 * retry with a fresh token.
 *
 * - Sent with an older token than the current one (another call already refreshed): retried
 *   at once, no refresh.
 * - Sent with the current token: the store's `refresh()` runs first. It is single-flight, so
 *   a hundred such 401s share one refresh request, and the server's refresh-token rotation
 *   never sees the same token twice (which it would punish as reuse).
 * - The refresh ended the session (it got a 401): `SessionEndedError`, for every waiting call.
 * - The refresh failed transiently: the session stays, and the call fails with its own 401;
 *   so do the 401s of calls sent before that refresh ended (see `RefreshRounds`).
 *
 * Anything else (other statuses, other origins, a second 401) passes through untouched.
 */
export function retryOnUnauthorized(
  client: AxiosInstance,
  store: AuthClientStore,
  rounds: RefreshRounds,
) {
  return async (error: unknown): Promise<unknown> => {
    if (!isAxiosError(error) || error.response?.status !== 401 || !error.config) throw error
    const { config } = error
    const sent = sentWithOf(config)
    if (sent === undefined || wasRetried(config)) throw error

    const noRefreshSinceSent = sent.round === rounds.current()
    if (store.getState().token === sent.token && noRefreshSinceSent) await rounds.run()

    const { token, status, signOutReason } = store.getState()
    // No `cause`: the AxiosError's config holds the Authorization header, and an access token
    // can stay valid at other services until it expires, session or not.
    if (status === 'signedOut') throw new SessionEndedError(signOutReason)
    // Stryker disable next-line ConditionalExpression: the store has no token exactly while signed out, handled above
    if (token === null || token === sent.token) throw error
    return client.request(asRetry(config))
  }
}
