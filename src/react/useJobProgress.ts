import { useEffect, useState } from 'react'
import type { JobEvent } from '../websocket/jobState'
import { useAuthStoreContext } from './AuthStoreProvider'

export interface JobProgress {
  /** The last `progress` (0–100) a progress event carried; null before the first. */
  percent: number | null
  /** The last progress event's `seq`. */
  seq: number | null
  /** A `{ type: 'done' }` event arrived. */
  done: boolean
  /** Why the job could not be subscribed (the store has no `websocket` option). */
  problem: string | null
}

const initialProgress: JobProgress = { percent: null, seq: null, done: false, problem: null }

function next(progress: JobProgress, event: JobEvent): JobProgress {
  if (event.type === 'done') return { ...progress, done: true }
  if (typeof event.progress !== 'number') return progress
  return {
    ...progress,
    percent: Math.min(100, Math.max(0, event.progress)),
    seq: typeof event.seq === 'number' ? event.seq : progress.seq,
  }
}

/**
 * Listens to a job while the component is mounted: `subscribeJob` opens the job's socket for
 * the first listener and closes it after the last. The progress comes from the listener's
 * events, which arrive once each and in order across reconnects; the store itself only keeps
 * a throttled summary (`lastSeq`), which is not meant for rendering progress.
 */
export function useJobProgress(jobName: string): JobProgress {
  const useAuthStore = useAuthStoreContext()
  const [progress, setProgress] = useState(initialProgress)

  useEffect(() => {
    setProgress(initialProgress)
    try {
      return useAuthStore
        .getState()
        .subscribeJob(jobName, (event) => setProgress((current) => next(current, event)))
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error)
      setProgress({ ...initialProgress, problem })
      return undefined
    }
  }, [useAuthStore, jobName])

  return progress
}
