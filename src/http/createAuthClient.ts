import axios, {
  type AxiosInstance,
  type AxiosResponse,
  type CreateAxiosDefaults,
  type InternalAxiosRequestConfig,
} from 'axios'
import type { AuthClientStore } from './authClientStore'
import { createOwnOrigins } from './ownOrigins'
import { createRefreshRounds } from './refreshRounds'
import { isTransportRequest, markSentWith, sentWithOf } from './requestMarks'
import { retryOnUnauthorized } from './retryOnUnauthorized'

export interface AuthClientOptions extends Omit<CreateAxiosDefaults, 'baseURL'> {
  /** The API's base URL. Its origin gets the access token; relative URLs resolve against it. */
  baseURL: string
  /** Further origins (`https://host:port`) that get the access token. @default [] */
  allowedOrigins?: readonly string[]
  /**
   * The axios the client is derived with `.create()`: its defaults are inherited (its
   * interceptors are not) and it is never changed.
   * @default the `axios` default export
   */
  axiosInstance?: AxiosInstance
}

/**
 * A new axios instance for the app's API calls. It attaches `Authorization: Bearer <token>`
 * to requests for the app's own origins only, refreshes once and retries on a 401 (see
 * `retryOnUnauthorized`), and reports each 2xx to the store as proof the session is valid, so
 * the scheduler can skip its own check.
 *
 * A request that already has an `Authorization` header keeps it and is left alone: those are
 * the caller's credentials, not the session's. The interceptor is added first, so with axios'
 * default ordering it runs after any request interceptor the app adds, and sees the final URL.
 */
export function createAuthClient(
  store: AuthClientStore,
  options: AuthClientOptions,
): AxiosInstance {
  const { allowedOrigins, axiosInstance, ...config } = options
  const client = (axiosInstance ?? axios).create(config)
  const ownOrigins = createOwnOrigins(client, options.baseURL, allowedOrigins)
  const rounds = createRefreshRounds(store)

  const attachToken = async (request: InternalAxiosRequestConfig) => {
    if (isTransportRequest(request)) return request
    // A refresh is under way (a tab that just woke up, say): wait for its token rather than
    // send one that is about to be replaced, or already stale, and collect a 401 for it.
    if (store.getState().status === 'refreshing' && ownOrigins.includes(request)) {
      await store.getState().refresh()
    }
    if (sentWithOf(request) !== undefined) {
      // A retry: replace the token of the first attempt with the current one.
      request.headers.delete('Authorization')
      markSentWith(request, undefined)
    } else if (request.headers.has('Authorization')) {
      return request
    }
    const { token } = store.getState()
    if (token === null || !ownOrigins.includes(request)) return request
    request.headers.set('Authorization', `Bearer ${token}`)
    markSentWith(request, { token, round: rounds.forNewRequest() })
    return request
  }

  const noteProvenValid = (response: AxiosResponse) => {
    const sentToken = sentWithOf(response.config)?.token
    // A 2xx (no 1xx is ever a final response); a 3xx or 4xx an app lets through with its own
    // `validateStatus` proves nothing. A call sent without a token (another origin) never
    // matches: the store's token is a string or null.
    if (response.status < 300 && sentToken === store.getState().token) {
      store.markSessionValid()
    }
    return response
  }

  client.interceptors.request.use(attachToken)
  client.interceptors.response.use(noteProvenValid, retryOnUnauthorized(client, store, rounds))
  return client
}
