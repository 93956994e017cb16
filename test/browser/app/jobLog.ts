import type { AuthStore, JobEvent } from '../../../src/index'
import { type Observable, observable } from './observable'

/** Everything one job's listener received: each progress `seq` in arrival order. */
export interface JobRecord {
  seqs: readonly number[]
  done: boolean
}

/**
 * The page's job listeners. They live outside React so a job keeps its listener (and the
 * store its socket) whatever the UI shows.
 */
export function createJobLog(store: AuthStore) {
  const jobs: Observable<Readonly<Record<string, JobRecord>>> = observable({})
  const update = (name: string, change: (job: JobRecord) => JobRecord) => {
    const current = jobs.get()[name] ?? { seqs: [], done: false }
    jobs.set({ ...jobs.get(), [name]: change(current) })
  }
  const onEvent = (name: string) => (event: JobEvent) => {
    if (event.type === 'done') update(name, (job) => ({ ...job, done: true }))
    else if (typeof event.seq === 'number') {
      const seq = event.seq
      update(name, (job) => ({ ...job, seqs: [...job.seqs, seq] }))
    }
  }
  return {
    jobs,
    /** Subscribes to a job; returns the unsubscribe. */
    start(name: string): () => void {
      update(name, (job) => job)
      return store.getState().subscribeJob(name, onEvent(name))
    },
  }
}

export type JobLog = ReturnType<typeof createJobLog>
