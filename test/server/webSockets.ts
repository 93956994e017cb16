import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import {
  createJobSocket,
  type JobSocket,
  type JobSocketDependencies,
  type WsConnectionRecord,
} from './jobSocket'
import { readUpgradeCredentials, selectProtocol } from './wsCredentials'

/** The `/ws/jobs/:name` endpoint plus the faults tests inject into it. */
export interface WebSockets {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Abrupt loss: no close frame, clients see 1006. */
  dropAll(): void
  /** Upgrades get HTTP 503 until `ms` of server-clock time has passed. */
  refuse(ms: number): void
  records(): WsConnectionRecord[]
  close(): void
}

const JOB_PATH = /^\/ws\/jobs\/([^/]+)$/
// Expiry is also checked on every event; the sweep catches sockets of idle or finished jobs.
const EXPIRY_SWEEP_MS = 1000

export function createWebSockets(deps: JobSocketDependencies): WebSockets {
  const { clock, counters, timers } = deps
  const wss = new WebSocketServer({ noServer: true, handleProtocols: selectProtocol })
  const open = new Map<WebSocket, JobSocket>()
  const records: WsConnectionRecord[] = []
  let refusedUntil = Number.NEGATIVE_INFINITY
  let stopSweep: (() => void) | null = null
  let nextId = 1

  const sweep = () => {
    for (const socket of open.values()) socket.recheckToken()
  }

  const rejectUpgrade = (socket: Duplex, status: 404 | 503, headers: string[] = []) => {
    counters.increment('ws:rejected')
    const statusText = status === 404 ? 'Not Found' : 'Service Unavailable'
    const head = [`HTTP/1.1 ${status} ${statusText}`, 'Connection: close', 'Content-Length: 0']
    socket.end([...head, ...headers, '', ''].join('\r\n'))
    socket.destroy()
  }

  return {
    handleUpgrade: (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://reference.invalid')
      const job = jobNameOf(url.pathname)
      if (job === null) return rejectUpgrade(socket, 404)
      const refusedForMs = refusedUntil - clock.now()
      if (refusedForMs > 0) {
        return rejectUpgrade(socket, 503, [`Retry-After: ${Math.ceil(refusedForMs / 1000)}`])
      }
      const credentials = readUpgradeCredentials(req, url)
      wss.handleUpgrade(req, socket, head, (ws) => {
        counters.increment('ws:connect')
        const record: WsConnectionRecord = {
          id: nextId++,
          job,
          sid: null,
          jti: null,
          strategy: credentials.strategy,
          openedAt: clock.now(),
          closedAt: null,
          closeCode: null,
        }
        records.push(record)
        open.set(ws, createJobSocket(ws, record, credentials, deps))
        stopSweep ??= timers.setInterval(sweep, EXPIRY_SWEEP_MS)
        ws.once('close', () => {
          open.delete(ws)
          if (open.size > 0) return
          stopSweep?.()
          stopSweep = null
        })
      })
    },
    dropAll: () => {
      for (const ws of wss.clients) ws.terminate()
    },
    refuse: (ms) => {
      refusedUntil = clock.now() + ms
    },
    records: () => records.map((record) => ({ ...record })),
    close: () => {
      for (const ws of wss.clients) ws.terminate()
      stopSweep?.()
      stopSweep = null
      wss.close()
    },
  }
}

function jobNameOf(pathname: string): string | null {
  const encoded = JOB_PATH.exec(pathname)?.[1]
  if (encoded === undefined) return null
  try {
    return decodeURIComponent(encoded)
  } catch {
    return null
  }
}
