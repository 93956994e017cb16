import type { TimerHandle, Timers } from '../../src/env/timers'
import type { UiClock } from '../../src/react/uiClock'

/** 14 March 2025, 09:00 UTC: every story starts at the same instant. */
export const STORY_START = Date.UTC(2025, 2, 14, 9, 0, 0)
export const SECOND = 1_000
export const MINUTE = 60 * SECOND

/**
 * The only time a story has: the store's clock and timers and the UI's clock in one. Nothing
 * moves until a story calls `advance`, so a story renders the same in Storybook, in a test and
 * in a screenshot, whenever it runs.
 */
export interface StoryClock extends UiClock {
  /** Timers that fire only inside `advance`. Give them to the store (`timers`). */
  readonly timers: Timers
  /**
   * Moves time forward by `ms`, firing each timer that falls due, in order, at its own time,
   * and letting the promises it starts (a refresh against the stub server) settle before the
   * next one fires.
   */
  advance(ms: number): Promise<void>
  /** Lets the promises already started settle, without moving time. */
  settle(): Promise<void>
  /** Ms since the story started. */
  elapsed(): number
}

interface Pending {
  id: number
  at: number
  callback: () => void
}

/**
 * One macrotask: every microtask queued before it (a whole chain of awaits on resolved
 * promises) has run when it ends. Not a timer, so nothing here depends on real time passing.
 */
const nextMacrotask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })

export function createStoryClock(start = STORY_START): StoryClock {
  let now = start
  let nextId = 1
  const pending = new Map<number, Pending>()
  const listeners = new Set<() => void>()

  const due = (until: number): Pending | undefined => {
    let first: Pending | undefined
    for (const timer of pending.values()) {
      if (timer.at > until) continue
      if (!first || timer.at < first.at || (timer.at === first.at && timer.id < first.id)) {
        first = timer
      }
    }
    return first
  }

  const settle = async () => {
    await nextMacrotask()
  }

  return {
    now: () => now,
    elapsed: () => now - start,
    subscribe(onChange) {
      listeners.add(onChange)
      return () => listeners.delete(onChange)
    },
    timers: {
      setTimeout(callback, ms) {
        const id = nextId++
        pending.set(id, { id, at: now + Math.max(0, ms), callback })
        return id as unknown as TimerHandle
      },
      clearTimeout(handle) {
        pending.delete(handle as unknown as number)
      },
    },
    settle,
    async advance(ms) {
      const end = now + ms
      await settle()
      for (let timer = due(end); timer; timer = due(end)) {
        pending.delete(timer.id)
        now = timer.at
        timer.callback()
        await settle()
      }
      now = end
      for (const listener of [...listeners]) listener()
    },
  }
}
