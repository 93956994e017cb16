import { createAuthStore } from '../../../src/createAuthStore'
import { createFakeEnv } from '../../utils/fakeEnv'
import { createEventQueue, type QueuedEvent } from '../lib/eventQueue'
import { seeded, uniform } from '../lib/random'
import {
  ACTIVE_PHASE_MS,
  ACTIVITY_INTERVAL_MS,
  IDLE_WATCH_MS,
  planSession,
  within,
} from './faultModel'
import { noEvents, type Policy } from './policies'
import { createSimTransport, createThrottledTimers } from './simBoundary'
import { createSimServer } from './simServer'

export interface SessionResult {
  /** Sign-outs in the active phase that no 401 of the server explains. */
  premature: number
  /** Sign-outs in the active phase after the server answered 401 (rules of the backend). */
  afterServer401: number
  /** Of those, the ones within 5 minutes after waking from the sleep. */
  afterServer401AtWake: number
  validateRequests: number
  refreshRequests: number
  /** Refresh requests the server granted (a new token pair issued). */
  refreshesGranted: number
  /** Idle phase: sign-out time minus (last activity + idle timeout); null when none came. */
  idleErrorMs: number | null
  idleReason: string | null
}

/** The store's default `idleTimeoutMs`, which every policy keeps. */
const IDLE_TIMEOUT_MS = 3_600_000
/** A server-401 sign-out this soon after waking is put down to the sleep. */
const AT_WAKE_MS = 5 * 60_000
const START = Date.parse('2026-01-05T08:00:00Z')
/** Lets every promise chain the last event started run to its end (all I/O here is virtual). */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * One seeded session of the real store against the simulated server, in virtual time:
 * 8 active hours with a 20-minute sleep, then the idle user until the idle sign-out.
 * After a sign-out in the active phase the user signs in again at their next action.
 */
export async function simulateSession(
  policy: Policy,
  failureRate: number,
  session: number,
  /** Prints what happens (debugging a surprising session: `npx tsx test/bench/faults/trace.ts`). */
  trace?: (line: string) => void,
): Promise<SessionResult> {
  const plan = planSession(session)
  const queue = createEventQueue(START)
  const t = () => queue.now() - START
  const clock = () => {
    const s = Math.floor(t() / 1000)
    return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
  }
  const server = createSimServer(queue.now)
  const userRng = seeded('user', session)
  const browser = createFakeEnv()
  const result: SessionResult = {
    premature: 0,
    afterServer401: 0,
    afterServer401AtWake: 0,
    validateRequests: 0,
    refreshRequests: 0,
    refreshesGranted: 0,
    idleErrorMs: null,
    idleReason: null,
  }

  let phase: 'active' | 'idle' | 'done' = 'active'
  let sleeping = false
  let generation = 0
  let server401 = false
  let lastActivity = 0

  const transport = createSimTransport({
    queue,
    plan,
    server,
    failureRate,
    rng: seeded('requests', session, failureRate),
    elapsed: t,
    signIn: () => generation,
    onSent: (kind) => {
      if (phase !== 'active') return
      if (kind === 'validate') result.validateRequests += 1
      else result.refreshRequests += 1
    },
    onGranted: (kind) => {
      if (kind === 'refresh' && phase === 'active') result.refreshesGranted += 1
    },
    onUnauthorized: (sentIn) => {
      if (sentIn === generation) server401 = true
    },
    trace: trace && ((line) => trace(`${clock()} ${line}`)),
  })
  const timers = createThrottledTimers({
    queue,
    plan,
    rng: seeded('throttle', session),
    throttling: () => phase === 'active',
    elapsed: t,
  })

  const store = createAuthStore({
    transport: policy.wrapTransport(transport),
    storage: null,
    devtools: false,
    now: queue.now,
    timers,
    random: seeded('store', session),
    env: policy.browserEvents ? browser.env : noEvents,
    ...policy.options,
  })

  store.subscribe((state, previous) => {
    if (trace && state.status !== previous.status) {
      trace(
        `${clock()} status ${previous.status} → ${state.status}${state.signOutReason ? ` (${state.signOutReason})` : ''}`,
      )
    }
    if (state.status !== 'signedOut' || previous.status === 'signedOut') return
    if (phase === 'active') {
      if (!server401) result.premature += 1
      else {
        result.afterServer401 += 1
        if (t() >= plan.sleep.end && t() < plan.sleep.end + AT_WAKE_MS) {
          result.afterServer401AtWake += 1
        }
      }
    } else if (phase === 'idle' && result.idleReason === null) {
      result.idleReason = state.signOutReason
      result.idleErrorMs = t() - (lastActivity + IDLE_TIMEOUT_MS)
      phase = 'done'
    }
  })

  const signIn = () => {
    generation += 1
    server401 = false
    const { accessToken, refreshToken } = server.login()
    void store.getState().login({ accessToken, refreshToken })
  }

  const userActs = () => {
    lastActivity = t()
    // Signed out, the user signs in again (not counted as a request); not during an outage.
    if (store.getState().status === 'signedOut') {
      if (!within(plan.outages, t())) signIn()
    } else if (policy.browserEvents) browser.emit('pointerdown')
    else store.getState().recordActivity()
  }

  const scheduleActivity = (from: number) => {
    const next = from + uniform(userRng, ACTIVITY_INTERVAL_MS.min, ACTIVITY_INTERVAL_MS.max)
    if (next >= ACTIVE_PHASE_MS) return
    // The user does nothing while the laptop sleeps; the wake-up brings them back.
    if (next >= plan.sleep.start && next < plan.sleep.end) return
    // A user action runs synchronously to its end (recordActivity, or a login with a token set).
    queue.at(START + next, () => {
      userActs()
      scheduleActivity(next)
    }).sync = true
  }

  // Sleep: hidden, then nothing client-side runs; at wake, visible + visibilitychange first,
  // the user acts, then every timer and answer that fell due during the sleep.
  const deferred: QueuedEvent[] = []
  queue.at(START + plan.sleep.start, () => {
    browser.setVisibility('hidden')
    browser.emit('visibilitychange')
    sleeping = true
  }).server = true
  queue.at(START + plan.sleep.end, () => {
    sleeping = false
    browser.setVisibility('visible')
    browser.emit('visibilitychange')
    userActs()
    scheduleActivity(plan.sleep.end)
    deferred.sort((a, b) => a.at - b.at || a.seq - b.seq)
    for (const event of deferred.splice(0)) queue.requeue(event, queue.now())
  }).server = true

  signIn()
  lastActivity = 0
  scheduleActivity(0)
  await drain()

  const run = async (until: number) => {
    for (let event = queue.next(START + until); event; event = queue.next(START + until)) {
      if (sleeping && !event.server) {
        deferred.push(event)
        continue
      }
      queue.setNow(event.at)
      event.run()
      if (!event.sync) await drain()
      if (phase === 'done') return
    }
    queue.setNow(START + until)
  }

  await run(ACTIVE_PHASE_MS)
  phase = 'idle'
  if (store.getState().status !== 'signedOut') await run(lastActivity + IDLE_WATCH_MS)
  store.dispose()
  return result
}
