import type { StateStorage } from 'zustand/middleware'
import type { LockManagerLike } from '../env/browser'
import type { Clock } from '../env/clock'
import type { TimerHandle, Timers } from '../env/timers'
import { ignoreRejection } from '../thenable'

export interface RefreshLock {
  /**
   * Runs `task` holding the cross-tab lock when it can be had within the timeout, else runs it
   * anyway: a lock must never stop a refresh. The task re-reads the shared session before it
   * commits, so it is safe either way.
   */
  run<T>(task: () => Promise<T>): Promise<T>
  /**
   * Ends every wait for the lock now, as if it had timed out, and clears its timers: the store is
   * disposed, and a wait left behind would send the refresh long after. The runs go on to their
   * tasks, which find the store disconnected.
   */
  close(): void
}

interface LockOptions {
  /**
   * Waits before the storage lease reads its write back. localStorage is shared by processes:
   * another tab's write reaches this one only milliseconds later, so two tabs that write at once
   * would each read back their own. Absent for an in-process storage (a microtask is enough).
   */
  confirmDelay?: () => Promise<void>
  name: string
  tabId: string
  acquireTimeoutMs: number
  timers: Timers
  now: Clock
}

/** `navigator.locks`, asked with an AbortSignal timeout, held only while the task runs. */
export function webLock(locks: LockManagerLike, options: LockOptions): RefreshLock {
  const waiting = new Map<AbortController, TimerHandle>()
  let closed = false
  return {
    async run(task) {
      if (closed) return task()
      const controller = new AbortController()
      let entered = false
      const timer = options.timers.setTimeout(() => controller.abort(), options.acquireTimeoutMs)
      waiting.set(controller, timer)
      try {
        return await locks.request(options.name, { signal: controller.signal }, () => {
          entered = true
          options.timers.clearTimeout(timer)
          return task()
        })
      } catch (error) {
        // Not granted in time (another tab's refresh hangs, an orphaned lock, a browser that
        // never answers): refresh without it; the task's re-read before committing guards the write.
        if (!entered) return task()
        throw error
      } finally {
        waiting.delete(controller)
        options.timers.clearTimeout(timer)
      }
    },
    close() {
      closed = true
      // Aborting an entered request changes nothing: only the waits end.
      for (const [controller, timer] of waiting) {
        options.timers.clearTimeout(timer)
        controller.abort()
      }
    },
  }
}

interface Lease {
  owner: string
  until: number
}

const POLL_MS = 50

/**
 * A best-effort lock in shared storage, for browsers without `navigator.locks`: a lease with
 * an owner and an expiry (twice the acquire timeout, so a crashed tab's lease runs out),
 * confirmed by reading it back a moment later (the last writer wins a race).
 */
export function storageLeaseLock(storage: StateStorage, options: LockOptions): RefreshLock {
  const leaseKey = `${options.name}:lease`
  const leaseMs = 2 * options.acquireTimeoutMs
  let closed = false
  // The polls' pending waits, for close() to end at once rather than leave their timers behind.
  const polls = new Set<() => void>()
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = options.timers.setTimeout(done, ms)
      function done() {
        polls.delete(done)
        options.timers.clearTimeout(timer)
        resolve()
      }
      polls.add(done)
    })
  const read = (): Lease | null => {
    try {
      const raw = storage.getItem(leaseKey)
      // Stryker disable next-line ConditionalExpression: JSON.parse(null) is null, and a non-string (an async storage's Promise) throws into the catch: null all the same
      const lease = typeof raw === 'string' ? (JSON.parse(raw) as Lease) : null
      return lease && typeof lease.owner === 'string' && typeof lease.until === 'number'
        ? lease
        : null
    } catch {
      return null
    }
  }
  const write = (lease: Lease | null): boolean => {
    try {
      ignoreRejection(
        lease ? storage.setItem(leaseKey, JSON.stringify(lease)) : storage.removeItem(leaseKey),
      )
    } catch {
      return false
    }
    return true
  }
  /** Waits until this tab holds the lease, or gives up: then the task runs without it. */
  const acquire = async (): Promise<void> => {
    const deadline = options.now() + options.acquireTimeoutMs
    for (;;) {
      if (closed) return
      const lease = read()
      if (!lease || lease.until <= options.now() || lease.owner === options.tabId) {
        // A storage that throws cannot hold a lease: the task runs unlocked at once.
        if (!write({ owner: options.tabId, until: options.now() + leaseMs })) return
        // Read back once other tabs' writes have arrived: of tabs that wrote at once, only the
        // last writer sees itself.
        await (options.confirmDelay?.() ?? Promise.resolve())
        const confirmed = read()
        // Ours: held. Unreadable: a storage that takes writes but cannot be read back cannot
        // hold a lease, so the task runs without one.
        if (confirmed === null || confirmed.owner === options.tabId) return
      }
      if (options.now() >= deadline) return
      await wait(POLL_MS)
    }
  }
  return {
    async run(task) {
      await acquire()
      try {
        return await task()
      } finally {
        // Held or not, a lease that reads as this tab's is released: nobody else could free it.
        if (read()?.owner === options.tabId) write(null)
      }
    },
    close() {
      closed = true
      for (const done of polls) done()
    },
  }
}

/** Half the refresh window, clamped to 250 ms – 10 s: long enough for a refresh, short enough to act in the window. */
export const lockTimeoutFor = (refreshWindowMs: number): number =>
  Math.min(10_000, Math.max(250, refreshWindowMs / 2))
