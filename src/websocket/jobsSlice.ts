import { warn } from '../env/warn'
import { platformWebSocket } from '../env/webSocket'
import type { AuthRuntime } from '../runtime'
import type { SliceCreator } from '../storeTypes'
import { type WsActionName, wsActions } from './actionNames'
import type { JobErrorState, JobListener, JobState, JobStatus, JobsSlice } from './jobState'
import { type JobsRuntimeModule, jobsRuntimeChunk } from './loadJobsRuntime'
import type { WebSocketConstructor } from './webSocketLike'
import {
  type ResolvedWebSocketOptions,
  resolveWebSocketOptions,
  type WebSocketOptions,
} from './websocketOptions'

const withoutWebSocketOption: JobsSlice = {
  jobs: {},
  subscribeJob() {
    throw new TypeError(
      '[zustand-auth-session] subscribeJob() needs the `websocket` option of createAuthStore',
    )
  },
}

const LOAD_FAILURE: JobErrorState = {
  kind: 'network',
  message: 'The WebSocket code could not be loaded; a new token or subscribeJob() tries again',
}

/** A job's state while its listeners wait for the machinery: no socket and no event yet. */
const waitingJob = (status: JobStatus, error: JobErrorState | null = null): JobState => ({
  status,
  attempts: 0,
  lastEventAt: null,
  lastSeq: null,
  error,
})

function webSocketConstructor(options: ResolvedWebSocketOptions): WebSocketConstructor {
  const found = options.WebSocket ?? platformWebSocket()
  if (found) return found
  throw new TypeError(
    '[zustand-auth-session] this platform has no WebSocket: pass one as `websocket.WebSocket` (in Node, the `ws` package)',
  )
}

/** A listener that subscribed before the jobs machinery was loaded. */
interface Waiting {
  jobName: string
  listener: JobListener
  WebSocket: WebSocketConstructor
  /** Set once the machinery took the listener over. */
  unsubscribe: (() => void) | null
}

/**
 * The jobs slice: WebSocket job-progress connections that follow the session. Its options are
 * checked here, when the store is built; the machinery (src/websocket/jobsRuntime.ts) is a chunk
 * of its own, loaded when a store has the `websocket` option, so an app without WebSocket jobs
 * does not ship it. Listeners that subscribe before it has loaded wait, with their job shown
 * as `connecting`, and are handed over the moment it has.
 */
export const createJobsSlice =
  (runtime: AuthRuntime, options: WebSocketOptions | undefined): SliceCreator<JobsSlice> =>
  (set, get, api) => {
    if (options === undefined) return withoutWebSocketOption
    const resolved = resolveWebSocketOptions(options)
    let jobs: ReturnType<JobsRuntimeModule['startJobs']> | null = null
    let loading = false
    let disposed = false
    const waiting: Waiting[] = []

    const writeJob = (name: string, job: JobState | null, action: WsActionName) =>
      set(
        (draft) => {
          if (job) draft.jobs[name] = job
          else delete draft.jobs[name]
        },
        // Stryker disable next-line BooleanLiteral: equivalent under immer, whose recipe yields the whole next state (as authSlice's MERGE says)
        false,
        action,
      )

    /** A job waiting for the chunk: `connecting`, or `closed` while signed out. */
    const showWaiting = (name: string) => {
      const signedIn = get().token !== null
      writeJob(
        name,
        waitingJob(signedIn ? 'connecting' : 'closed'),
        signedIn ? wsActions.connect : wsActions.close,
      )
    }

    // Once the chunk is in, `loading` is never read again: jobsRuntimeChunk.loaded is set.
    const start = (module: JobsRuntimeModule) => {
      if (disposed || jobs) return
      jobs = module.startJobs({ runtime, options: resolved, set, get, api })
      for (const entry of waiting.splice(0)) {
        entry.unsubscribe = jobs.subscribeJob(entry.jobName, entry.listener, entry.WebSocket)
      }
    }
    const failToLoad = (error: unknown) => {
      loading = false
      if (disposed) return
      warn('the WebSocket jobs code could not be loaded', error)
      for (const name of new Set(waiting.map((entry) => entry.jobName))) {
        writeJob(name, waitingJob('failed', LOAD_FAILURE), wsActions.failed)
      }
    }
    const ensureLoaded = () => {
      const ready = jobsRuntimeChunk.loaded
      if (ready) start(ready)
      else if (!loading) {
        loading = true
        // Jobs that failed to load wait again, as they do on their first try.
        for (const name of new Set(waiting.map((entry) => entry.jobName))) {
          if (get().jobs[name]?.status === 'failed') showWaiting(name)
        }
        jobsRuntimeChunk.load().then(start, failToLoad)
      }
    }

    // A failed load gets another round with a new token or a sign-in, as a failed socket does.
    api.subscribe((state, previous) => {
      if (state.token !== previous.token && state.token !== null && waiting.length > 0) {
        ensureLoaded()
      }
    })

    runtime.disposers.add(() => {
      disposed = true
      waiting.length = 0
    })
    // At once, not at the first subscribeJob(): by the time a component subscribes, it is in.
    ensureLoaded()

    return {
      jobs: {},

      subscribeJob(jobName, listener) {
        if (typeof listener !== 'function') {
          throw new TypeError('[zustand-auth-session] subscribeJob() needs a listener function')
        }
        const WebSocket = webSocketConstructor(resolved)
        if (jobs) return jobs.subscribeJob(jobName, listener, WebSocket)
        if (disposed) return () => {}
        const entry: Waiting = { jobName, listener, WebSocket, unsubscribe: null }
        const isFirst = !waiting.some((other) => other.jobName === jobName)
        waiting.push(entry)
        if (isFirst) showWaiting(jobName)
        ensureLoaded()

        return () => {
          if (entry.unsubscribe) return entry.unsubscribe()
          const index = waiting.indexOf(entry)
          // Already gone: an earlier call, or dispose().
          if (index < 0) return
          waiting.splice(index, 1)
          if (!waiting.some((other) => other.jobName === jobName)) {
            writeJob(jobName, null, wsActions.close)
          }
        }
      },
    }
  }
