import type { Timers } from '../../src/env/timers'

/**
 * Real time, sped up `scale` times, for a store and the reference server to share: one real
 * millisecond is `scale` ms on `now()`, and a timer set for `ms` fires after `ms / scale` real
 * ones. Lets a test span a 30 s outage with real sockets in a fraction of a second, without
 * fake timers (which would also stop the timers inside `ws` and node:http).
 */
export function compressedTime(scale: number) {
  const startedAt = Date.now()
  const realStart = performance.now()
  const now = () => startedAt + Math.round((performance.now() - realStart) * scale)
  const timers: Timers = {
    setTimeout: (callback, ms) => setTimeout(callback, ms / scale),
    clearTimeout: (handle) => clearTimeout(handle),
  }
  return { now, timers }
}

/** Real timers that remember which are pending, to prove a cleanup left none behind. */
export function trackingTimers() {
  const pending = new Set<ReturnType<typeof setTimeout>>()
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      const handle = setTimeout(() => {
        pending.delete(handle)
        callback()
      }, ms)
      pending.add(handle)
      return handle
    },
    clearTimeout: (handle) => {
      pending.delete(handle)
      clearTimeout(handle)
    },
  }
  return { timers, pending }
}
