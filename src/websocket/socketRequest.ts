import type { TokenStrategy } from './websocketOptions'

export interface SocketRequest {
  url: string
  protocols: string[] | undefined
}

/** Adds query parameters to a URL that may be relative (`/ws/jobs/x`), keeping any `#hash`. */
function withQuery(url: string, params: URLSearchParams): string {
  if (params.size === 0) return url
  const hashAt = url.indexOf('#')
  const [path, hash] = hashAt === -1 ? [url, ''] : [url.slice(0, hashAt), url.slice(hashAt)]
  return `${path}${path.includes('?') ? '&' : '?'}${params}${hash}`
}

/**
 * The URL and subprotocols that carry `token` and the resume position at upgrade. With the
 * 'message' strategy neither is in the upgrade: both go in the auth message (`authMessage`).
 */
export function socketRequest(
  baseUrl: string,
  strategy: TokenStrategy,
  token: string,
  resumeAfter: number | null,
): SocketRequest {
  const params = new URLSearchParams()
  if (strategy === 'query') params.set('access_token', token)
  if (strategy !== 'message' && resumeAfter !== null) params.set('resume', String(resumeAfter))
  return {
    url: withQuery(baseUrl, params),
    protocols: strategy === 'protocol' ? ['bearer', token] : undefined,
  }
}

/** `{"type":"auth","token":"…"}`, with `lastSeq` when there is a position to resume from. */
export function authMessage(token: string, lastSeq: number | null): string {
  return JSON.stringify(
    lastSeq === null ? { type: 'auth', token } : { type: 'auth', token, lastSeq },
  )
}
