import { warn } from '../env/warn'
import type { JobEvent } from './jobState'
import { authMessage, socketRequest } from './socketRequest'
import type { WebSocketConstructor, WebSocketLike } from './webSocketLike'
import type { TokenStrategy } from './websocketOptions'

/** What a socket reports, each with the connection it came from (a job may have two). */
export interface ConnectionEvents {
  /** The socket delivers: its first `auth_ok`, or its first message from a server that sends none. */
  onDelivering(connection: Connection): void
  /** A later `auth_ok`: an in-place re-auth was accepted (if one was asked for). */
  onReauthenticated(connection: Connection): void
  /** Any other message, parsed. */
  onMessage(connection: Connection, event: JobEvent): void
  onClose(connection: Connection, code: number, reason: string): void
}

export interface ConnectionRequest {
  WebSocket: WebSocketConstructor
  url: string
  strategy: TokenStrategy
  token: string
  /** The resume position, read when it is sent (at open for the 'message' strategy). */
  resumeAfter: () => number | null
  events: ConnectionEvents
}

/** One socket of a job. Its events stop the moment it is retired. */
export interface Connection {
  /** The token the server has for this socket (or is checking, during a re-auth). */
  readonly token: string
  readonly delivering: boolean
  /** Sends the new token on this socket; the server answers `auth_ok` or closes it. */
  reauthenticate(token: string): void
  /** Closes the socket and silences it. Idempotent. */
  retire(): void
}

const NORMAL_CLOSURE = 1000

function parse(data: unknown): JobEvent | null {
  if (typeof data !== 'string') return null
  try {
    const value: unknown = JSON.parse(data)
    // Stryker disable next-line ConditionalExpression: JSON null would be returned as itself, which is the null returned anyway
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JobEvent)
      : null
  } catch {
    return null
  }
}

/** Opens a socket for one job. Throws when the constructor does (a malformed URL, say). */
export function openConnection(request: ConnectionRequest): Connection {
  const { events, strategy } = request
  const { url, protocols } = socketRequest(
    request.url,
    strategy,
    request.token,
    request.resumeAfter(),
  )
  const socket: WebSocketLike =
    protocols === undefined ? new request.WebSocket(url) : new request.WebSocket(url, protocols)
  let retired = false
  let delivering = false
  let token = request.token

  const send = (message: string) => {
    try {
      socket.send(message)
    } catch {
      // Closing already: the close event decides what happens next.
    }
  }

  const connection: Connection = {
    get token() {
      return token
    },
    get delivering() {
      return delivering
    },
    reauthenticate(next) {
      token = next
      send(JSON.stringify({ type: 'auth', token: next }))
    },
    retire() {
      // Stryker disable next-line ConditionalExpression: no job retires a socket twice (it drops it as it retires it), and close() on a closing socket does nothing anyway
      if (retired) return
      retired = true
      try {
        socket.close(NORMAL_CLOSURE)
      } catch {
        // Some implementations throw when closing a socket that never opened; it is gone either way.
      }
    },
  }

  socket.addEventListener('open', () => {
    if (retired || strategy !== 'message') return
    // The position is read now, not at construction: what the old socket delivered meanwhile
    // is not sent again.
    send(authMessage(token, request.resumeAfter()))
  })
  socket.addEventListener('message', ({ data }) => {
    if (retired) return
    const event = parse(data)
    if (event === null) {
      warn('a job socket sent something that is not a JSON object; ignored')
      return
    }
    const firstDelivery = !delivering
    if (firstDelivery) {
      delivering = true
      events.onDelivering(connection)
      if (retired) return
    }
    if (event.type === 'auth_ok') {
      // Any later auth_ok: the job acts on it only while it awaits a re-auth on this socket.
      // Stryker disable next-line ConditionalExpression: a socket's first auth_ok comes before any re-auth on it, and the job has no re-auth timer to clear then
      if (!firstDelivery) events.onReauthenticated(connection)
      return
    }
    events.onMessage(connection, event)
  })
  socket.addEventListener('close', ({ code, reason }) => {
    if (retired) return
    events.onClose(connection, code, reason)
  })
  // The close event that follows says what happened; without a listener `ws` would throw.
  socket.addEventListener('error', () => undefined)

  return connection
}
