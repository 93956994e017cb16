import type { IncomingMessage } from 'node:http'

/**
 * Browsers cannot set headers on a WebSocket, so clients smuggle the token in one of three ways;
 * the library supports all of them and so does this server.
 * - 'protocol': `Sec-WebSocket-Protocol: bearer, <token>` (the server must echo `bearer`)
 * - 'query': `?access_token=<token>`
 * - 'message': nothing at upgrade; the first message is `{"type":"auth","token":"…"}`
 */
export type AuthStrategy = 'protocol' | 'query' | 'message'

export const BEARER_SUBPROTOCOL = 'bearer'

export interface UpgradeCredentials {
  strategy: AuthStrategy
  token: string | undefined
  /** From `?resume=<lastSeq>`. */
  resumeAfter: number | undefined
}

export function readUpgradeCredentials(req: IncomingMessage, url: URL): UpgradeCredentials {
  const resumeAfter = parseSeq(url.searchParams.get('resume'))
  const protocols = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter(Boolean)
  const fromProtocol = protocols.includes(BEARER_SUBPROTOCOL)
    ? protocols.find((protocol) => protocol !== BEARER_SUBPROTOCOL)
    : undefined
  if (fromProtocol) return { strategy: 'protocol', token: fromProtocol, resumeAfter }
  const fromQuery = url.searchParams.get('access_token')
  if (fromQuery) return { strategy: 'query', token: fromQuery, resumeAfter }
  return { strategy: 'message', token: undefined, resumeAfter }
}

/** Picks `bearer` so a browser, which insists on an echoed subprotocol, accepts the socket. */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(BEARER_SUBPROTOCOL) ? BEARER_SUBPROTOCOL : false
}

export function parseSeq(value: unknown): number | undefined {
  const seq = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof seq === 'number' && Number.isInteger(seq) && seq >= 0 ? seq : undefined
}
