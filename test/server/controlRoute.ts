import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerControl } from './control'
import type { FailureSpec, Latency } from './faults'
import { BadRequestError, readJsonBody, sendJson } from './http'

/**
 * `POST /__control {action, ...args}` for clients in another process (Storybook, browser tests):
 * the same `ServerControl`, with each method's arguments as named JSON fields.
 *   setLatency {ms} | {minMs, maxMs}
 *   setFailure {rate, mode, retryAfterSec?, routes?, seed?}; without `rate` it clears the failure
 *   down {forMs?}   up   isDown   reset   now   counts   resetCounts
 *   revokeSession {sid?}   expireTokensNow   setClockOffset {ms}
 *   dropAllSockets   refuseWebSockets {ms}   wsConnections
 *   startJob {name, intervalMs?, steps?}   resetJobs
 * `GET /__control/<action>` runs the read-only ones: counts, isDown, now, wsConnections.
 * Answers `{ok: true, result}`, or 400 `{ok: false, error}`.
 */
export const CONTROL_PATH = '/__control'

type Args = Record<string, unknown>

const READ_ONLY_ACTIONS = new Set(['counts', 'isDown', 'now', 'wsConnections'])

export function createControlRoute(control: ServerControl) {
  const actions: Record<string, (args: Args) => unknown> = {
    setLatency: (args) => control.setLatency(latencyFrom(args)),
    setFailure: (args) => control.setFailure(args.rate === undefined ? null : failureFrom(args)),
    up: () => control.up(),
    isDown: () => control.isDown(),
    revokeSession: (args) => control.revokeSession(optionalString(args.sid, 'sid')),
    expireTokensNow: () => control.expireTokensNow(),
    setClockOffset: (args) => control.setClockOffset(requiredNumber(args.ms, 'ms')),
    now: () => control.now(),
    counts: () => control.counts(),
    resetCounts: () => control.resetCounts(),
    dropAllSockets: () => control.dropAllSockets(),
    refuseWebSockets: (args) => control.refuseWebSockets(requiredNumber(args.ms, 'ms')),
    wsConnections: () => control.wsConnections(),
    startJob: (args) =>
      control.startJob(requiredString(args.name, 'name'), {
        intervalMs: optionalNumber(args.intervalMs, 'intervalMs'),
        steps: optionalNumber(args.steps, 'steps'),
      }),
    resetJobs: () => control.resetJobs(),
    reset: () => control.reset(),
  }

  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    try {
      const action = req.method === 'POST' ? undefined : pathname.slice(CONTROL_PATH.length + 1)
      if (action !== undefined && !READ_ONLY_ACTIONS.has(action)) {
        throw new BadRequestError(`GET runs only ${[...READ_ONLY_ACTIONS].join(', ')}`)
      }
      const args = req.method === 'POST' ? await readJsonBody(req) : {}
      const name = action ?? args.action
      if (name === 'down') return goDown(res, args)
      const run = typeof name === 'string' ? actions[name] : undefined
      if (!run) throw new BadRequestError(`unknown action ${JSON.stringify(name)}`)
      sendJson(res, 200, { ok: true, result: (await run(args)) ?? null })
    } catch (error) {
      const expected = error instanceof BadRequestError || error instanceof TypeError
      sendJson(res, expected ? 400 : 500, { ok: false, error: String(error) })
    }
  }

  // Going down destroys every connection, this request's too: answer first, then go down.
  function goDown(res: ServerResponse, args: Args) {
    const forMs = optionalNumber(args.forMs, 'forMs')
    res.setHeader('Connection', 'close')
    res.once('finish', () => void control.down({ forMs }))
    sendJson(res, 200, { ok: true, result: null })
  }
}

function latencyFrom(args: Args): Latency {
  if (args.ms !== undefined) return requiredNumber(args.ms, 'ms')
  return { minMs: requiredNumber(args.minMs, 'minMs'), maxMs: requiredNumber(args.maxMs, 'maxMs') }
}

function failureFrom(args: Args): FailureSpec {
  const { rate, mode, retryAfterSec, routes, seed } = args
  if (
    routes !== undefined &&
    !(Array.isArray(routes) && routes.every((r) => typeof r === 'string'))
  ) {
    throw new BadRequestError('routes must be an array of route keys')
  }
  return {
    rate: requiredNumber(rate, 'rate'),
    mode: mode as FailureSpec['mode'],
    retryAfterSec: optionalNumber(retryAfterSec, 'retryAfterSec'),
    routes: routes as string[] | undefined,
    seed: optionalNumber(seed, 'seed'),
  }
}

function requiredNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BadRequestError(`${name} must be a number`)
  }
  return value
}

function optionalNumber(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : requiredNumber(value, name)
}

function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new BadRequestError(`${name} is required`)
  return value
}

function optionalString(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : requiredString(value, name)
}
