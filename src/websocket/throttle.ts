import type { TimerHandle, Timers } from '../env/timers'

export interface Throttle {
  /** Runs now if the last run is `intervalMs` ago, else once when it will be. */
  request(): void
  /** Notes a run made another way (a write that carried the same data): restarts the interval. */
  ran(): void
  cancel(): void
}

/** Leading and trailing: the first request runs at once, later ones are folded into one. */
export function createThrottle(
  timers: Timers,
  now: () => number,
  intervalMs: number,
  run: () => void,
): Throttle {
  let lastRunAt = Number.NEGATIVE_INFINITY
  let timer: TimerHandle | null = null

  const cancel = () => {
    // Stryker disable next-line ConditionalExpression: clearing no timer is a no-op anyway
    if (timer !== null) timers.clearTimeout(timer)
    timer = null
  }

  return {
    request() {
      if (timer !== null) return
      const waitMs = lastRunAt + intervalMs - now()
      if (waitMs <= 0) {
        run()
        return
      }
      timer = timers.setTimeout(() => {
        timer = null
        run()
      }, waitMs)
    },
    ran() {
      lastRunAt = now()
      cancel()
    },
    cancel,
  }
}
