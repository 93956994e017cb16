import type { TimerHandle, Timers } from '../../../src/env/timers'

/** A scheduled callback. `seq` breaks ties: equal times run in the order they were scheduled. */
export interface QueuedEvent {
  at: number
  seq: number
  run: () => void
  cancelled: boolean
  /** Runs even while the client sleeps (the server's side of a request). */
  server?: boolean
  /** Starts no promise chain, so the driver need not wait for one to settle after it. */
  sync?: boolean
}

/**
 * A virtual clock with a binary-heap event queue, for simulating hours in milliseconds.
 * test/utils/virtualTime.ts scans a Map for the next due timer (fine for a test's few timers);
 * a fault simulation schedules ~10^7 events, so here each insert and pop is O(log n) and a
 * cleared timer is only marked (lazy deletion).
 */
export function createEventQueue(startMs: number) {
  let current = startMs
  let seq = 0
  const heap: QueuedEvent[] = []

  const before = (a: QueuedEvent, b: QueuedEvent) => a.at < b.at || (a.at === b.at && a.seq < b.seq)

  const push = (event: QueuedEvent) => {
    heap.push(event)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(event, heap[parent] as QueuedEvent)) break
      heap[i] = heap[parent] as QueuedEvent
      i = parent
    }
    heap[i] = event
  }

  const pop = (): QueuedEvent | undefined => {
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child =
        right < heap.length && before(heap[right] as QueuedEvent, heap[left] as QueuedEvent)
          ? right
          : left
      if (!before(heap[child] as QueuedEvent, last)) break
      heap[i] = heap[child] as QueuedEvent
      i = child
    }
    heap[i] = last
    return top
  }

  const at = (time: number, run: () => void): QueuedEvent => {
    const event = { at: Math.max(time, current), seq: seq++, run, cancelled: false }
    push(event)
    return event
  }

  /** The store's timers: setTimeout schedules an event, clearTimeout marks it cancelled. */
  const timers: Timers = {
    setTimeout: (callback, ms) => at(current + Math.max(0, ms), callback) as unknown as TimerHandle,
    clearTimeout: (handle) => {
      ;(handle as unknown as QueuedEvent).cancelled = true
    },
  }

  return {
    now: () => current,
    timers,
    /** Schedules `run` at virtual time `time` (not earlier than now). */
    at,
    /** Schedules `run` after `ms`. */
    after: (ms: number, run: () => void) => at(current + ms, run),
    /** The next live event, removed from the queue, or undefined when none is due by `until`. */
    next(until: number): QueuedEvent | undefined {
      for (;;) {
        const top = heap[0]
        if (top === undefined || top.at > until) return undefined
        pop()
        if (!top.cancelled) return top
      }
    },
    /** Puts a popped event back at a later time (a timer that fell due while the client slept). */
    requeue(event: QueuedEvent, time: number) {
      event.at = Math.max(time, current)
      event.seq = seq++
      push(event)
    },
    /** Moves the clock (forward only): to an event's time, or over a sleep. */
    setNow(time: number) {
      if (time > current) current = time
    },
    size: () => heap.length,
  }
}

export type EventQueue = ReturnType<typeof createEventQueue>
