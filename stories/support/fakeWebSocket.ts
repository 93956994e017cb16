import type { WebSocketLike } from '../../src/websocket/webSocketLike'

type Listener = (event?: unknown) => void

/** One socket the story plays the server side of. */
export interface FakeSocket extends WebSocketLike {
  readonly url: string
  /** Messages the client sent, parsed (the `message` strategy's `{type:'auth'}` among them). */
  readonly sent: Array<Record<string, unknown>>
  /** The upgrade succeeded and the server took the token: the job's socket delivers. */
  authenticate(): FakeSocket
  /** A progress event, as the reference backend sends it. */
  progress(seq: number, percent: number): FakeSocket
  /** The server (or the network: 1006) closed the socket. */
  drop(code?: number, reason?: string): void
}

/**
 * A WebSocket class for stories: the jobs slice constructs it (`websocket.WebSocket`), the
 * story plays the server with `last().authenticate()`, `progress()`, `drop()`.
 */
export function createFakeWebSockets() {
  const sockets: FakeSocket[] = []

  class StorySocket implements FakeSocket {
    readonly sent: Array<Record<string, unknown>> = []
    private readonly listeners = new Map<string, Listener[]>()
    private closed = false

    constructor(readonly url: string) {
      sockets.push(this)
    }

    addEventListener(type: string, listener: (event: never) => void): void {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener as Listener])
    }

    send(data: string): void {
      this.sent.push(JSON.parse(data) as Record<string, unknown>)
    }

    close(): void {
      this.closed = true
    }

    private emit(type: string, event?: unknown) {
      if (this.closed) return
      for (const listener of this.listeners.get(type) ?? []) listener(event)
    }

    authenticate() {
      this.emit('open')
      this.emit('message', { data: JSON.stringify({ type: 'auth_ok' }) })
      return this
    }

    progress(seq: number, percent: number) {
      const event = { type: 'progress', seq, progress: percent }
      this.emit('message', { data: JSON.stringify(event) })
      return this
    }

    drop(code = 1006, reason = '') {
      this.emit('close', { code, reason })
      this.closed = true
    }
  }

  return {
    WebSocket: StorySocket,
    sockets,
    /** The socket opened last. */
    last(): FakeSocket {
      const socket = sockets.at(-1)
      if (!socket) throw new Error('no job socket was opened')
      return socket
    },
  }
}

export type FakeWebSockets = ReturnType<typeof createFakeWebSockets>
