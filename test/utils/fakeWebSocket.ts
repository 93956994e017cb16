import type { WebSocketLike } from '../../src/websocket/webSocketLike'

type Listener = (event?: unknown) => void

/**
 * A WebSocket class whose "server side" the test drives: `accept()`, `deliver()`, `drop()`.
 * Every instance is kept in `sockets`, so a test can read what the client sent and how
 * (URL, subprotocols, messages) and whether it closed the socket itself.
 */
export function createFakeWebSockets() {
  const sockets: FakeSocket[] = []

  class FakeSocket implements WebSocketLike {
    readonly url: string
    readonly protocols: string | string[] | undefined
    /** Messages the client sent, parsed. */
    readonly sent: Array<Record<string, unknown>> = []
    /** The code the client closed it with; undefined while the client has not. */
    closedByClient: number | undefined
    closedByServer: number | undefined
    private readonly listeners: Record<string, Listener[]> = {}

    constructor(url: string, protocols?: string | string[]) {
      this.url = url
      this.protocols = protocols
      sockets.push(this)
    }

    get isOpen() {
      return this.closedByClient === undefined && this.closedByServer === undefined
    }

    addEventListener(type: string, listener: (event: never) => void): void {
      const list = this.listeners[type] ?? []
      list.push(listener as Listener)
      this.listeners[type] = list
    }

    send(data: string): void {
      this.sent.push(JSON.parse(data) as Record<string, unknown>)
    }

    close(code?: number): void {
      this.closedByClient ??= code ?? 1005
    }

    private emit(type: string, event?: unknown) {
      for (const listener of this.listeners[type] ?? []) listener(event)
    }

    /** The upgrade succeeded. */
    accept() {
      this.emit('open')
      return this
    }

    /** Sends `message` to the client as JSON. */
    deliver(message: Record<string, unknown>) {
      this.emit('message', { data: JSON.stringify(message) })
      return this
    }

    /** `accept()` then `auth_ok`: the socket delivers. */
    authenticate() {
      return this.accept().deliver({ type: 'auth_ok' })
    }

    progress(seq: number) {
      return this.deliver({ type: 'progress', seq, progress: seq })
    }

    /** The server (or the network) closed it; 1006 is an abrupt loss. */
    drop(code = 1006, reason = '') {
      this.closedByServer = code
      if (code === 1006) this.emit('error', new Error('socket hang up'))
      this.emit('close', { code, reason })
    }
  }

  return {
    WebSocket: FakeSocket,
    sockets,
    /** The most recently constructed socket. */
    last: (): FakeSocket => {
      const socket = sockets.at(-1)
      if (!socket) throw new Error('no socket was opened')
      return socket
    },
    open: () => sockets.filter((socket) => socket.isOpen),
  }
}

export type FakeWebSockets = ReturnType<typeof createFakeWebSockets>
export type FakeSocket = InstanceType<FakeWebSockets['WebSocket']>
