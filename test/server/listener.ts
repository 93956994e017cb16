import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * Owns the listening socket so the server can "go down" like a crashed backend: clients then
 * get ECONNREFUSED, not a hanging request, and come back on the same port after `up()`.
 */
export interface Listener {
  /** The bound port; the requested one until `listen()` resolves. */
  port(): number
  listen(): Promise<void>
  down(): Promise<void>
  up(): Promise<void>
  isDown(): boolean
  close(): Promise<void>
}

export function createListener(server: Server, host: string, requestedPort: number): Listener {
  let port = requestedPort
  let listening = false
  let down = false
  let closed = false
  // down/up/close run one at a time, so a test that fires them back to back gets them in order.
  let transitions: Promise<void> = Promise.resolve()
  const sockets = new Set<Socket>()

  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  const destroyConnections = () => {
    for (const socket of sockets) socket.destroy()
  }

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error)
      server.once('error', onError)
      server.listen(port, host, () => {
        server.off('error', onError)
        port = (server.address() as AddressInfo).port
        listening = true
        resolve()
      })
    })

  const stop = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve()
      listening = false
      server.close(() => resolve())
      // server.close() waits for open connections; keep-alive ones would hold it for seconds.
      // Upgraded WebSocket sockets are in the set too, so their clients see 1006.
      destroyConnections()
    })

  const enqueue = (transition: () => Promise<void>) => {
    const next = transitions.then(transition)
    transitions = next.catch(() => undefined)
    return next
  }

  return {
    port: () => port,
    listen: () => enqueue(start),
    down: () => {
      down = true
      return enqueue(stop)
    },
    up: () =>
      enqueue(async () => {
        if (listening || closed) return
        await start()
        down = false
      }),
    isDown: () => down,
    close: () => {
      closed = true
      return enqueue(stop)
    },
  }
}
