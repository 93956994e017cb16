import type { TimerHandle, Timers } from '../../src/env/timers'

/**
 * A clock and timers that move only when the test says so, for integration tests that also do
 * real HTTP. `vi.useFakeTimers()` does not suit them: `advanceTimersByTimeAsync` runs timer
 * after timer on microtasks alone and never waits for a socket, so a scheduler tick would be
 * followed by the next one before its request had come back. Here each due timer fires, then
 * `settle()` (the test's "network is idle") is awaited before time moves on.
 */
export function createVirtualTime(startMs: number) {
  let current = startMs
  let nextId = 1
  const pending = new Map<number, { at: number; callback: () => void }>()

  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = nextId++
      pending.set(id, { at: current + Math.max(0, ms), callback })
      return id as unknown as TimerHandle
    },
    clearTimeout(handle) {
      pending.delete(handle as unknown as number)
    },
  }

  const nextDue = (until: number) => {
    let due: [number, { at: number; callback: () => void }] | undefined
    for (const entry of pending) {
      // Map order is creation order, so equal times fire in the order they were set.
      if (entry[1].at <= until && (due === undefined || entry[1].at < due[1].at)) due = entry
    }
    return due
  }

  return {
    now: () => current,
    timers,
    /** Moves time by `ms`, firing each due timer at its own time and settling after each. */
    async advance(ms: number, settle: () => Promise<void>) {
      const until = current + ms
      await settle()
      for (let due = nextDue(until); due; due = nextDue(until)) {
        const [id, timer] = due
        pending.delete(id)
        current = timer.at
        timer.callback()
        await settle()
      }
      current = until
    },
    pendingCount: () => pending.size,
  }
}

export type VirtualTime = ReturnType<typeof createVirtualTime>
