import { decodeJwt } from 'jose'
import WebSocket from 'ws'
import type { ReferenceServer } from './referenceServer'
import type { AccessClaims } from './tokens'

/** Client-side helpers shared by the reference server's own tests. */

export interface TokenResponse {
  access_token: string
  refresh_token: string
  expires_in: number
  token_type: 'Bearer'
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

export async function login(server: ReferenceServer): Promise<TokenResponse> {
  const response = await postJson(`${server.url}/auth/login`, {
    username: 'demo',
    password: 'demo',
  })
  if (response.status !== 200) throw new Error(`login failed with ${response.status}`)
  return (await response.json()) as TokenResponse
}

export function refresh(server: ReferenceServer, refreshToken: string) {
  return postJson(`${server.url}/auth/refresh`, { refresh_token: refreshToken })
}

export function getWithBearer(server: ReferenceServer, path: string, accessToken: string) {
  return fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })
}

export async function validateStatus(server: ReferenceServer, accessToken: string) {
  return (await getWithBearer(server, '/auth/validate', accessToken)).status
}

export function claimsOf(accessToken: string): AccessClaims {
  return decodeJwt(accessToken) as unknown as AccessClaims
}

/** The `name=value` pair of the refresh cookie, ready to send back in a Cookie header. */
export function refreshCookieOf(response: Response): string | undefined {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('refresh_token='))
  return cookie?.split(';')[0]
}

export type JobMessage = { type: string; [key: string]: unknown }

export interface JobClient {
  ws: WebSocket
  /** Resolves with the next message (that matches `type`), skipping the others. */
  next(type?: string): Promise<JobMessage>
  /** Every message received so far. */
  received: JobMessage[]
  closed: Promise<{ code: number; reason: string }>
  /** Rejects if the handshake fails (e.g. a 503 upgrade response). */
  opened: Promise<void>
}

export interface ConnectOptions {
  strategy: 'protocol' | 'query' | 'message'
  token: string
  /** The last seq seen: `?resume=` at upgrade, or `lastSeq` in the auth message. */
  resume?: number
}

/** Opens `/ws/jobs/:job`, carrying the token the way `strategy` says. */
export function connectJob(
  server: ReferenceServer,
  job: string,
  options: ConnectOptions,
): JobClient {
  const query = new URLSearchParams()
  if (options.strategy === 'query') query.set('access_token', options.token)
  const resumeInQuery = options.resume !== undefined && options.strategy !== 'message'
  if (resumeInQuery) query.set('resume', String(options.resume))
  const url = `${server.wsUrl}/ws/jobs/${job}${query.size > 0 ? `?${query}` : ''}`
  const protocols = options.strategy === 'protocol' ? ['bearer', options.token] : []
  const client = openJobClient(new WebSocket(url, protocols))
  if (options.strategy === 'message') {
    const auth = { type: 'auth', token: options.token, lastSeq: options.resume }
    client.ws.once('open', () => client.ws.send(JSON.stringify(auth)))
  }
  return client
}

export function openJobClient(ws: WebSocket): JobClient {
  const received: JobMessage[] = []
  let cursor = 0
  let wake: (() => void) | null = null
  ws.on('message', (data) => {
    received.push(JSON.parse(data.toString()) as JobMessage)
    wake?.()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() })
      wake?.()
    })
  })
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.on('error', reject)
  })
  // Swallow the duplicate rejection for tests that never await `opened`.
  opened.catch(() => undefined)

  const next = async (type?: string): Promise<JobMessage> => {
    for (;;) {
      while (cursor < received.length) {
        const message = received[cursor++] as JobMessage
        if (type === undefined || message.type === type) return message
      }
      if (ws.readyState === WebSocket.CLOSED)
        throw new Error(`socket closed while waiting for ${type}`)
      await new Promise<void>((resolve) => {
        wake = resolve
      })
      wake = null
    }
  }
  return { ws, next, received, closed, opened }
}
