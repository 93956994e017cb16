import type { ServerClock } from './clock'
import type { TimerScope } from './timers'

/**
 * Server-side jobs that stream progress over WebSockets. A job outlives its sockets and keeps
 * every event, so a client that reconnects (new token, dropped network) can resume from the last
 * `seq` it saw without gaps.
 */
export interface ProgressEvent {
  type: 'progress'
  seq: number
  job: string
  progress: number
  /** Server clock, ms. */
  at: number
}

export type JobMessage = ProgressEvent | { type: 'done'; job: string }

export interface JobOptions {
  /** @default 1000 */
  intervalMs?: number
  /** @default 100 */
  steps?: number
}

export interface Jobs {
  /**
   * Sends `listener` the buffered events after `lastSeq` (none when it is undefined), then live
   * ones; creates and starts the job on first use. Returns the unsubscribe function.
   */
  subscribe(name: string, listener: (message: JobMessage) => void, lastSeq?: number): () => void
  /** (Re)starts a job from seq 0 with these options; current subscribers keep listening. */
  start(name: string, options?: JobOptions): void
  /** Stops and forgets every job. */
  reset(): void
}

interface Job {
  events: ProgressEvent[]
  done: boolean
  listeners: Set<(message: JobMessage) => void>
  stop: () => void
}

export function createJobs(clock: ServerClock, timers: TimerScope, defaults: JobOptions): Jobs {
  const jobs = new Map<string, Job>()

  const start = (name: string, options: JobOptions = {}): Job => {
    const intervalMs = options.intervalMs ?? defaults.intervalMs ?? 1000
    const steps = options.steps ?? defaults.steps ?? 100
    const previous = jobs.get(name)
    previous?.stop()
    const job: Job = {
      events: [],
      done: false,
      listeners: previous?.listeners ?? new Set(),
      stop: () => undefined,
    }
    const broadcast = (message: JobMessage) => {
      for (const listener of [...job.listeners]) listener(message)
    }
    job.stop = timers.setInterval(() => {
      const seq = job.events.length + 1
      const event: ProgressEvent = {
        type: 'progress',
        seq,
        job: name,
        progress: Math.round((seq / steps) * 100),
        at: clock.now(),
      }
      job.events.push(event)
      broadcast(event)
      if (seq < steps) return
      job.done = true
      job.stop()
      broadcast({ type: 'done', job: name })
    }, intervalMs)
    jobs.set(name, job)
    return job
  }

  return {
    subscribe: (name, listener, lastSeq) => {
      const job = jobs.get(name) ?? start(name)
      if (lastSeq !== undefined) {
        for (const event of job.events) if (event.seq > lastSeq) listener(event)
      }
      if (job.done) listener({ type: 'done', job: name })
      job.listeners.add(listener)
      return () => job.listeners.delete(listener)
    },
    start: (name, options) => {
      start(name, options)
    },
    reset: () => {
      for (const job of jobs.values()) job.stop()
      jobs.clear()
    },
  }
}
