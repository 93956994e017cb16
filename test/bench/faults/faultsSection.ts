import { fixed, type Section, seconds } from '../lib/report'
import { ACTIVE_HOURS, FAULT_LEVELS, HOUR } from './faultModel'
import type { WorkReport } from './faultWorker'
import { POLICIES, type PolicyName } from './policies'
import { runSessions } from './runSessions'
import type { SessionResult } from './simulateSession'

/** Sessions per configuration and fault level; `--sessions N` overrides it. */
export const DEFAULT_SESSIONS = 1_000
/** The access token's lifetime: "refreshes per token lifetime" is refreshes per this much activity. */
const TOKEN_LIFETIME_MS = HOUR

export interface FaultCell {
  policy: PolicyName
  failureRate: number
  sessions: number
  sessionsWithPrematureSignOut: number
  prematureSignOuts: number
  sessionsSignedOutByServer401: number
  /** Sessions whose server-401 sign-out came right after the sleep. */
  sessionsSignedOutByServer401AtWake: number
  /** Sessions with a server-401 sign-out at another time (a refresh that came too late). */
  sessionsSignedOutByServer401Elsewhere: number
  requestsPerActiveHour: number
  validatesPerActiveHour: number
  refreshesPerActiveHour: number
  refreshesPerTokenLifetime: number
  /** Refreshes the server granted, per token lifetime: new tokens actually obtained. */
  grantedRefreshesPerTokenLifetime: number
  idle: {
    /** Sessions signed out for being idle, and the error of that sign-out against 60:00. */
    signedOutIdle: number
    minErrorMs: number | null
    maxErrorMs: number | null
    /** Sessions signed out before 60:00 of idleness, for another reason. */
    signedOutEarly: number
    /** Sessions already signed out when the user went idle, or never signed out. */
    notMeasured: number
  }
}

export function summarise(policy: PolicyName, failureRate: number, results: SessionResult[]) {
  const sum = (pick: (result: SessionResult) => number) =>
    results.reduce((total, result) => total + pick(result), 0)
  const activeHours = results.length * ACTIVE_HOURS
  const idleErrors = results
    .filter((result) => result.idleReason === 'idle')
    .map((result) => result.idleErrorMs as number)
  const validates = sum((result) => result.validateRequests)
  const refreshes = sum((result) => result.refreshRequests)
  const lifetimes = (activeHours * HOUR) / TOKEN_LIFETIME_MS
  const cell: FaultCell = {
    policy,
    failureRate,
    sessions: results.length,
    sessionsWithPrematureSignOut: results.filter((result) => result.premature > 0).length,
    prematureSignOuts: sum((result) => result.premature),
    sessionsSignedOutByServer401: results.filter((result) => result.afterServer401 > 0).length,
    sessionsSignedOutByServer401AtWake: results.filter((result) => result.afterServer401AtWake > 0)
      .length,
    sessionsSignedOutByServer401Elsewhere: results.filter(
      (result) => result.afterServer401 > result.afterServer401AtWake,
    ).length,
    requestsPerActiveHour: (validates + refreshes) / activeHours,
    validatesPerActiveHour: validates / activeHours,
    refreshesPerActiveHour: refreshes / activeHours,
    refreshesPerTokenLifetime: refreshes / lifetimes,
    grantedRefreshesPerTokenLifetime: sum((result) => result.refreshesGranted) / lifetimes,
    idle: {
      signedOutIdle: idleErrors.length,
      minErrorMs: idleErrors.length ? Math.min(...idleErrors) : null,
      maxErrorMs: idleErrors.length ? Math.max(...idleErrors) : null,
      signedOutEarly: results.filter(
        (result) => result.idleReason !== null && result.idleReason !== 'idle',
      ).length,
      notMeasured: results.filter((result) => result.idleReason === null).length,
    },
  }
  return cell
}

const percent = (part: number, whole: number) => `${part} (${fixed((100 * part) / whole, 1)}%)`

export const faultsSection: Section = {
  id: 'faults',
  title: '1. Fault simulation: the real store, 8 active hours per session',
  async run({ log, args }) {
    const sessions = Number(args.sessions ?? DEFAULT_SESSIONS)
    const workers = args.workers === undefined ? undefined : Number(args.workers)
    const ids = Array.from({ length: sessions }, (_, index) => index)
    const orders = FAULT_LEVELS.flatMap((failureRate) =>
      POLICIES.map((policy) => ({ policy: policy.name, failureRate, sessions: ids })),
    )
    const started = Date.now()
    let lastLog = 0
    const reports: WorkReport[] = await runSessions(orders, {
      ...(workers === undefined ? {} : { workers }),
      onProgress: (done, total) => {
        if (Date.now() - lastLog < 10_000 && done < total) return
        lastLog = Date.now()
        log(`faults: ${done}/${total} sessions, ${((Date.now() - started) / 1000).toFixed(0)} s`)
      },
    })
    const cells = orders.map((order) => {
      const results = reports
        .filter((r) => r.order.policy === order.policy && r.order.failureRate === order.failureRate)
        .flatMap((r) => r.results)
      return summarise(order.policy, order.failureRate, results)
    })

    const label = (cell: FaultCell) => [`p = ${cell.failureRate}`, cell.policy]
    return {
      data: { sessionsPerCell: sessions, cells },
      tables: [
        {
          title:
            'The three configurations: policies of the same store (test/bench/faults/policies.ts)',
          columns: [
            'configuration',
            'createAuthStore options',
            'transport wrapper',
            'browser events',
          ],
          rows: [
            [
              'legacy (the original app)',
              'tickMs 30 s, refreshWindowMs 60 s, retry 30 s flat, validateEveryTick',
              'every failure → 401; a validate 401 is final',
              'none (headless)',
            ],
            [
              'window-fix (the first fix)',
              'tickMs 60 s, refreshWindowMs 5 min, retry 60 s flat (next tick), validateEveryTick',
              'a validate 401 is final',
              'none (headless): no catch-up on wake',
            ],
            ['library', 'defaults', 'none', 'visibilitychange, pointerdown…'],
          ],
          notes: [
            'Fault model (test/bench/faults/faultModel.ts): per session 8 active hours plus one 20-minute sleep, then the idle user. The user acts every 20–40 s except while asleep, and again right after waking. Each request takes 20 ms–10 s (log-uniform) and fails with probability p (503 or dropped, half each), plus one 3-minute outage per hour. Four throttled phases of 10–30 min in which every timer the store sets waits at least 1–5 min.',
            'Simulated server: 60-minute access JWTs with iat/exp, refresh-token rotation with reuse detection and a 60-minute idle TTL (the reference backend’s session store); 401 only when those rules say so.',
            'Seeded (mulberry32): session i has the same plan (sleep, outages, throttling, user) under every configuration and fault level, so rows are paired; a rerun prints the same numbers.',
          ],
        },
        {
          title: `Sign-outs and request load (${sessions} seeded sessions per row)`,
          columns: [
            'fault level',
            'configuration',
            'sessions with a premature sign-out',
            'premature sign-outs',
            'sessions signed out by a server 401: right after the sleep',
            '…at other times',
            'requests / active hour',
            'validate / h',
            'refresh / h',
            'refreshes / token lifetime',
            'granted refreshes / token lifetime',
          ],
          rows: cells.map((cell) => [
            ...label(cell),
            percent(cell.sessionsWithPrematureSignOut, cell.sessions),
            cell.prematureSignOuts,
            percent(cell.sessionsSignedOutByServer401AtWake, cell.sessions),
            percent(cell.sessionsSignedOutByServer401Elsewhere, cell.sessions),
            fixed(cell.requestsPerActiveHour, 1),
            fixed(cell.validatesPerActiveHour, 1),
            fixed(cell.refreshesPerActiveHour, 2),
            fixed(cell.refreshesPerTokenLifetime, 2),
            fixed(cell.grantedRefreshesPerTokenLifetime, 2),
          ]),
          notes: [
            'Premature sign-out: the store signed the user out during the active phase and the simulated server had not answered 401 to any request of that session. After any sign-out the user signs in again at their next action (not counted as a request).',
            'Signed out by a server 401: the backend’s own rules ended the session: a session unused for 60 minutes (its idle clock restarts at every login, refresh and validation with a valid access token, as in test/server/sessions.ts). "Right after the sleep": within 5 minutes of waking. "At other times": anywhere else (outages, failures, throttled timers, late retries).',
            'Requests: validate + refresh requests sent during the 8 active hours (failed ones included), per active hour. Refreshes per token lifetime: refresh requests (attempts) per 60 minutes of activity (the access-token TTL); granted: the ones that got a new token. A sign-in after a sign-out brings a fresh token, so fewer refreshes are needed.',
          ],
        },
        {
          title: 'The idle user: sign-out after the last activity, against 60:00',
          columns: [
            'fault level',
            'configuration',
            'signed out idle',
            'error min',
            'error max',
            'signed out before 60:00 (other reason)',
            'not measured',
          ],
          rows: cells.map((cell) => [
            ...label(cell),
            cell.idle.signedOutIdle,
            seconds(cell.idle.minErrorMs),
            seconds(cell.idle.maxErrorMs),
            cell.idle.signedOutEarly,
            cell.idle.notMeasured,
          ]),
          notes: [
            'Error = sign-out time − (last activity + 60 min). Goal: 0 ≤ error ≤ one tick, never negative. The idle hour keeps the faults (p, outages) but no sleep or throttling.',
            '"Not measured": the session was already signed out at its last activity (a sign-out after the user’s last action), so there was no idle sign-out to time.',
          ],
        },
      ],
    }
  },
}
