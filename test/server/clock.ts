/**
 * The server's notion of "now". Tests skew it (client/server clock drift) with an offset and may
 * replace the base clock; both are read at call time so `vi.useFakeTimers()` moves it too.
 */
export interface ServerClock {
  /** Milliseconds since the epoch, as the server sees it. */
  now(): number
  /** Whole seconds since the epoch, the unit of JWT `iat`/`exp`. */
  nowSec(): number
  setOffset(offsetMs: number): void
  offset(): number
}

export function createServerClock(baseNow: () => number, initialOffsetMs: number): ServerClock {
  let offsetMs = initialOffsetMs
  const now = () => baseNow() + offsetMs
  return {
    now,
    nowSec: () => Math.floor(now() / 1000),
    setOffset: (ms) => {
      offsetMs = ms
    },
    offset: () => offsetMs,
  }
}
