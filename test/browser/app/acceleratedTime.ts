import type { Timers } from '../../../src/index'

/**
 * A clock that runs `speed` times faster than the wall clock from `epoch` on, with timers to
 * match: `setTimeout(cb, 2_000)` at speed 10 fires after 200 real ms. The page's store and
 * the reference backend each build one from the same `epoch` and `speed`, and both read the
 * one wall clock of this machine, so they agree to within a millisecond or two (times speed).
 *
 * `jump(ms)` moves the clock forward without touching pending timers: what a page sees after
 * the laptop slept, when `Date.now()` leaps but monotonic timers do not.
 */
export interface AcceleratedTime {
  now(): number
  timers: Timers
  jump(ms: number): void
}

export function createAcceleratedTime(options: { epoch: number; speed: number }): AcceleratedTime {
  const { epoch, speed } = options
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`)
  let offsetMs = 0
  return {
    now: () => epoch + (Date.now() - epoch) * speed + offsetMs,
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms / speed),
      clearTimeout: (handle) => clearTimeout(handle),
    },
    jump(ms) {
      if (!(ms >= 0)) throw new RangeError(`a clock only jumps forward, got ${ms}`)
      offsetMs += ms
    },
  }
}
