import { warn } from '../env/warn'
import type { JobEvent, JobListener } from './jobState'

/**
 * A job's listeners and its position in the stream. During a handover two sockets feed the same
 * job, and a resumed socket replays what the old one may already have delivered: progress
 * events are passed on only when their `seq` is past the last one delivered, so each arrives
 * once and in order.
 */
export interface JobFeed {
  /** Adds a listener (the same function twice counts twice); returns its removal. */
  add(listener: JobListener): () => void
  readonly size: number
  readonly lastSeq: number | null
  /** When the last progress event was delivered, on the local clock. */
  readonly lastEventAt: number | null
  /**
   * Passes a message on: progress events (a numeric `seq`) once each, other messages always.
   * True for new progress. (Only one socket of a job delivers at a time: the new one's first
   * message retires the old one.)
   */
  deliver(event: JobEvent, at: number): boolean
}

export function createJobFeed(jobName: string): JobFeed {
  const listeners = new Set<{ listener: JobListener }>()
  let lastSeq: number | null = null
  let lastEventAt: number | null = null

  const notify = (event: JobEvent) => {
    for (const entry of [...listeners]) {
      try {
        entry.listener(event)
      } catch (error) {
        // One broken listener must not starve the others or break the connection.
        warn(`a listener of job "${jobName}" threw`, error)
      }
    }
  }

  return {
    add(listener) {
      const entry = { listener }
      listeners.add(entry)
      return () => {
        listeners.delete(entry)
      }
    },
    get size() {
      return listeners.size
    },
    get lastSeq() {
      return lastSeq
    },
    get lastEventAt() {
      return lastEventAt
    },
    deliver(event, at) {
      const { seq } = event
      // Stryker disable next-line ConditionalExpression: Number.isFinite is false for any non-number; the typeof narrows the type
      if (typeof seq !== 'number' || !Number.isFinite(seq)) {
        notify(event)
        return false
      }
      if (lastSeq !== null && seq <= lastSeq) return false
      lastSeq = seq
      lastEventAt = at
      notify(event)
      return true
    },
  }
}
