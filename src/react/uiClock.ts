import { type Clock, systemClock } from '../env/clock'
import { defaultTimers, type TimerHandle, type Timers } from '../env/timers'
import { warn } from '../env/warn'

/**
 * The time as the UI shows it: a clock that says when it moved. It has the shape
 * `useSyncExternalStore` wants (`subscribe` + a snapshot that is stable between changes), so a
 * countdown re-renders once per tick rather than reading `Date.now()` during render.
 * Stories and tests pass a manual one; apps get `createTickingClock()`.
 */
export interface UiClock {
  /** The current time, ms since the epoch. Returns the same value until the clock moves. */
  now(): number
  /** Calls `onChange` whenever `now()` changes; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void
}

export interface TickingClockOptions {
  /** How often the UI time moves. @default 1_000 */
  intervalMs?: number
  /** The time source. @default () => Date.now() */
  now?: Clock
  /** @default the platform's setTimeout / clearTimeout, wrapped */
  timers?: Timers
}

/**
 * A `UiClock` that moves every `intervalMs` while something listens, and stops (no timer left
 * behind) when the last listener goes.
 */
export function createTickingClock(options: TickingClockOptions = {}): UiClock {
  const intervalMs = options.intervalMs ?? 1_000
  const read = options.now ?? systemClock
  const timers = options.timers ?? defaultTimers
  const listeners = new Set<() => void>()
  let current = read()
  let timer: TimerHandle | null = null

  const tick = () => {
    current = read()
    // Aligned to the interval boundary, so a seconds countdown changes on the second. Scheduled
    // before the listeners run, so the last one unsubscribing in its callback clears it.
    timer = timers.setTimeout(tick, intervalMs - (current % intervalMs))
    for (const listener of [...listeners]) {
      try {
        listener()
      } catch (error) {
        // Nothing may throw out of a timer: one broken listener must not stop the others' clock.
        warn('a UI clock listener threw', error)
      }
    }
  }

  return {
    now() {
      // Not ticking (nothing subscribed yet): catch up, but only by whole intervals, so two
      // reads in one render agree, as useSyncExternalStore requires.
      if (timer === null && read() - current >= intervalMs) current = read()
      return current
    },
    subscribe(onChange) {
      listeners.add(onChange)
      if (timer === null) {
        current = read()
        timer = timers.setTimeout(tick, intervalMs - (current % intervalMs))
      }
      return () => {
        listeners.delete(onChange)
        if (listeners.size > 0 || timer === null) return
        timers.clearTimeout(timer)
        timer = null
      }
    },
  }
}
