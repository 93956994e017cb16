import { type Rng, seeded, uniform } from '../lib/random'

/**
 * The fault model of the simulation, as named constants. Times are ms from the session start.
 *
 * The user: acts every 20–40 s (≈30 s) from login to the end of the active phase, except
 * while the laptop sleeps; acts again right after waking; then stops for good (the idle user).
 * The network: each request takes 20 ms–10 s (log-uniform: median ≈ 450 ms) and fails
 * transiently with probability p (a 503 or a dropped connection, half each), on top of one
 * 3-minute outage per hour (connection refused). A failed request never reaches the server's
 * logic: no rotation happens for it.
 * The tab: one 20-minute sleep (clock jumps, no timer runs, then `visibilitychange`), and
 * throttled phases in which every timer the store sets fires after at least 1–5 minutes
 * (Chrome's intensive throttling of chained timers). The page stays visible and the user keeps
 * acting during them: only the timers are slowed down.
 */
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

/** Hours the user is active, not counting the sleep. */
export const ACTIVE_HOURS = 8
export const SLEEP_MS = 20 * MINUTE
/** The active phase in wall time: 8 active hours plus the sleep. */
export const ACTIVE_PHASE_MS = ACTIVE_HOURS * HOUR + SLEEP_MS
/** How long after the last activity the simulation waits for the idle sign-out. */
export const IDLE_WATCH_MS = 80 * MINUTE

export const ACTIVITY_INTERVAL_MS = { min: 20_000, max: 40_000 }
export const LATENCY_MS = { min: 20, max: 10_000 }
export const OUTAGE_MS = 3 * MINUTE
/** Four throttled phases of 10–30 minutes each in the active phase (≈ 17% of it). */
export const THROTTLED_PHASES = 4
export const THROTTLED_PHASE_MS = { min: 10 * MINUTE, max: 30 * MINUTE }
/** A timer set in a throttled phase fires after at least this long. */
export const THROTTLED_TIMER_MS = { min: MINUTE, max: 5 * MINUTE }

export const FAULT_LEVELS = [0.01, 0.05, 0.2] as const

export interface Interval {
  start: number
  end: number
}

/** What happens to one session, the same for every configuration and fault level. */
export interface SessionPlan {
  sleep: Interval
  outages: Interval[]
  throttled: Interval[]
}

export function planSession(session: number): SessionPlan {
  const rng = seeded('plan', session)
  const sleepStart = uniform(rng, 15 * MINUTE, ACTIVE_PHASE_MS - SLEEP_MS - 15 * MINUTE)
  const horizon = ACTIVE_PHASE_MS + IDLE_WATCH_MS
  const outages: Interval[] = []
  for (let hour = 0; hour * HOUR < horizon; hour++) {
    const start = hour * HOUR + uniform(rng, 0, HOUR - OUTAGE_MS)
    outages.push({ start, end: start + OUTAGE_MS })
  }
  const throttled: Interval[] = []
  for (let i = 0; i < THROTTLED_PHASES; i++) {
    const length = uniform(rng, THROTTLED_PHASE_MS.min, THROTTLED_PHASE_MS.max)
    const start = uniform(rng, 0, ACTIVE_PHASE_MS - length)
    throttled.push({ start, end: start + length })
  }
  return { sleep: { start: sleepStart, end: sleepStart + SLEEP_MS }, outages, throttled }
}

export const within = (intervals: Interval[], t: number) =>
  intervals.some((interval) => t >= interval.start && t < interval.end)

/** Log-uniform between LATENCY_MS.min and .max. */
export const drawLatency = (rng: Rng) => LATENCY_MS.min * (LATENCY_MS.max / LATENCY_MS.min) ** rng()
