import { vi } from 'vitest'
import { HttpError } from '../../src/errors/HttpError'
import { NetworkError } from '../../src/errors/NetworkError'
import type { Session, TokenSet, Transport } from '../../src/types'
import { tokenAt } from './jwt'

export type Outcome = 'ok' | 401 | 429 | 500 | 503 | 'network' | 'timeout' | { resolve: unknown }

/** The error a real transport rejects with for each scripted outcome. */
export function errorFor(outcome: Exclude<Outcome, 'ok' | { resolve: unknown }>): Error {
  if (outcome === 'network') return new NetworkError('connect ECONNREFUSED')
  if (outcome === 'timeout')
    return new NetworkError('timeout of 10000ms exceeded', { timeout: true })
  return new HttpError(outcome, `Request failed with status code ${outcome}`)
}

/**
 * A scripted transport at the store's only network seam. Each call takes the next scripted
 * outcome (default 'ok'); a successful refresh issues a fresh 60-minute token "now".
 * `pending` keeps calls open until the test settles them, to test in-flight behaviour.
 */
export function createFakeTransport(options: { now?: () => number; ttlMs?: number } = {}) {
  const now = options.now ?? (() => Date.now())
  const script = { refresh: [] as Outcome[], validate: [] as Outcome[] }
  const policy: { refresh?: (call: number) => Outcome; validate?: (call: number) => Outcome } = {}
  let hold = false
  const held: Array<() => void> = []
  const issued: string[] = []

  const settle = async (kind: 'refresh' | 'validate', call: number) => {
    if (hold) await new Promise<void>((resolve) => held.push(resolve))
    const outcome = script[kind].shift() ?? policy[kind]?.(call) ?? 'ok'
    if (typeof outcome === 'object') return { scripted: true as const, value: outcome.resolve }
    if (outcome !== 'ok') throw errorFor(outcome)
    return { scripted: false as const }
  }

  const transport = {
    refresh: vi.fn(async (_session: Session): Promise<TokenSet> => {
      const call = transport.refresh.mock.calls.length
      const resolved = await settle('refresh', call)
      if (resolved.scripted) return resolved.value as TokenSet
      const accessToken = tokenAt(now(), options.ttlMs)
      issued.push(accessToken)
      return { accessToken, refreshToken: `r-${issued.length}` }
    }),
    validate: vi.fn(async (_session: Session): Promise<void> => {
      await settle('validate', transport.validate.mock.calls.length)
    }),
    logout: vi.fn(async (_session: Session): Promise<void> => {}),
  } satisfies Transport

  return {
    transport,
    /** Queue outcomes for the next calls. */
    next(kind: 'refresh' | 'validate', ...outcomes: Outcome[]) {
      script[kind].push(...outcomes)
    },
    /** Decide every call's outcome by its 1-based call number (after the queue is used up). */
    setPolicy(kind: 'refresh' | 'validate', decide: ((call: number) => Outcome) | undefined) {
      policy[kind] = decide
    },
    holdResponses(on: boolean) {
      hold = on
      if (!on) for (const release of held.splice(0)) release()
    },
    issued,
  }
}

export type FakeTransport = ReturnType<typeof createFakeTransport>
