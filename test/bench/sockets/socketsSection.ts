import WebSocket from 'ws'
import { createAuthStore } from '../../../src/createAuthStore'
import { headlessEnv } from '../../../src/env/browser'
import type { JobEvent } from '../../../src/websocket/jobState'
import type { TokenStrategy } from '../../../src/websocket/websocketOptions'
import { startReferenceServer } from '../../server/referenceServer'
import { createFetchTransport } from '../../utils/fetchTransport'
import { fixed, type Section } from '../lib/report'

export const JOBS = 100
/** Each job emits a progress event this often: 100 jobs ≈ 5,000 events a second in all. */
const JOB = { intervalMs: 20, steps: 100_000 }
const TIMEOUT_MS = 30_000

const VARIANTS: Array<{ name: string; tokenStrategy: TokenStrategy; reauthInPlace: boolean }> = [
  { name: "'message', re-auth in place (default)", tokenStrategy: 'message', reauthInPlace: true },
  { name: "'message', new socket", tokenStrategy: 'message', reauthInPlace: false },
  { name: "'query', new socket", tokenStrategy: 'query', reauthInPlace: false },
  { name: "'protocol', new socket", tokenStrategy: 'protocol', reauthInPlace: false },
]

export interface SocketsRow {
  variant: string
  jobs: number
  allOpenMs: number
  lost: number
  duplicated: number
  outOfOrder: number
  eventsChecked: number
  socketsOpened: number
}

const jtiOf = (token: string | null) => {
  const payload = token?.split('.')[1]
  if (!payload) throw new Error('not a JWT')
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti
}

async function until(condition: () => boolean, what: string) {
  const deadline = performance.now() + TIMEOUT_MS
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`sockets: timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

/**
 * `JOBS` job streams on one store (the jobs slice with `ws`'s WebSocket injected) against the
 * reference backend, in real time; then one token refresh. Measures the time from the new
 * token to every job open on it, and checks every listener's `seq`s for gaps and repeats.
 */
export async function measureSockets(variant: (typeof VARIANTS)[number]): Promise<SocketsRow> {
  const server = await startReferenceServer({ job: JOB })
  const store = createAuthStore({
    transport: createFetchTransport(server.url),
    storage: null,
    devtools: false,
    env: headlessEnv,
    autoStart: false,
    websocket: {
      url: (name) => `${server.wsUrl}/ws/jobs/${encodeURIComponent(name)}`,
      WebSocket,
      tokenStrategy: variant.tokenStrategy,
      reauthInPlace: variant.reauthInPlace,
    },
  })
  const names = Array.from({ length: JOBS }, (_, i) => `job-${i + 1}`)
  const seqs = new Map<string, number[]>(names.map((name) => [name, []]))
  const unsubscribes: Array<() => void> = []
  try {
    await store.getState().login({ username: 'demo', password: 'demo' })
    for (const name of names) {
      const received = seqs.get(name) as number[]
      const listener = (event: JobEvent) => {
        if (typeof event.seq === 'number') received.push(event.seq)
      }
      unsubscribes.push(store.getState().subscribeJob(name, listener))
    }
    const eventsEach = (count: number) => () =>
      [...seqs.values()].every((received) => received.length >= count)
    await until(eventsEach(5), 'the first events')

    let changedAt = Number.NaN
    const stop = store.subscribe((state, previous) => {
      if (state.token !== previous.token) changedAt = performance.now()
    })
    const refreshed = await store.getState().refresh()
    stop()
    if (!refreshed) throw new Error('sockets: the refresh failed')
    const newJti = jtiOf(store.getState().token)
    const allOpen = () => {
      const jobs = store.getState().jobs
      if (!names.every((name) => jobs[name]?.status === 'open')) return false
      const open = server.control.wsConnections().filter((c) => c.closedAt === null)
      return open.length === JOBS && open.every((c) => c.jti === newJti)
    }
    await until(allOpen, 'every job open on the new token')
    const allOpenMs = performance.now() - changedAt

    const counted = Math.max(...[...seqs.values()].map((received) => received.length))
    await until(eventsEach(counted + 20), '20 more events per job')
    let lost = 0
    let duplicated = 0
    let outOfOrder = 0
    let eventsChecked = 0
    for (const received of seqs.values()) {
      const unique = new Set(received)
      eventsChecked += received.length
      duplicated += received.length - unique.size
      lost += Math.max(...received) - unique.size
      for (let i = 1; i < received.length; i++) {
        if ((received[i] as number) < (received[i - 1] as number)) outOfOrder += 1
      }
    }
    return {
      variant: variant.name,
      jobs: JOBS,
      allOpenMs,
      lost,
      duplicated,
      outOfOrder,
      eventsChecked,
      socketsOpened: server.control.counts()['ws:connect'] ?? 0,
    }
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe()
    store.dispose()
    await server.close()
  }
}

export const socketsSection: Section = {
  id: 'sockets',
  title: `5. Sockets: ${JOBS} jobs moved onto a new token`,
  async run({ log }) {
    const rows: SocketsRow[] = []
    for (const variant of VARIANTS) {
      rows.push(await measureSockets(variant))
      log(`sockets: ${variant.name} done`)
    }
    return {
      data: { rows },
      tables: [
        {
          title: `Reference backend over WebSockets (\`ws\` client), real time, one job event every ${JOB.intervalMs} ms per job`,
          columns: [
            'token strategy',
            'jobs',
            'time to all open (ms)',
            'events lost',
            'events duplicated',
            'out of order',
            'events checked',
            'sockets opened in all',
          ],
          rows: rows.map((row) => [
            row.variant,
            row.jobs,
            fixed(row.allOpenMs, 0),
            row.lost,
            row.duplicated,
            row.outOfOrder,
            row.eventsChecked,
            row.socketsOpened,
          ]),
          notes: [
            'Time to all open: from the new token in the store to every job `open` in the store and every open server socket authenticated with the new token (polled every 1 ms).',
            'Lost/duplicated: per listener, the `seq`s received from the first subscription to 20 events after all were open, against 1…max.',
          ],
        },
      ],
    }
  },
}
