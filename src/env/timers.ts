export type TimerHandle = ReturnType<typeof setTimeout>

export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/**
 * The platform's timers, wrapped rather than aliased: an alias captured at import time would
 * escape `vi.useFakeTimers()` (TanStack Query's timeoutManager notes the same).
 */
export const defaultTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
}
