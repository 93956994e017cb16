import type { TimerHandle } from '../env/timers'
import { warn } from '../env/warn'
import { platformWebSocket } from '../env/webSocket'
import type { AuthRuntime } from '../runtime'
import { backoffDelay } from '../scheduler/backoff'
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
  message: 'The WebSocket code could not be loaded',
}

/** A job's state while its listeners wait for the machinery: no socket and no event yet. */
const waitingJob = (
  status: JobStatus,
  attempts = 0,
  error: JobErrorState | null = null,
): JobState => ({
  status,
  attempts,
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
    /** Consecutive failed loads of this round; a round ends loaded, or after `maxAttempts`. */
    let failures = 0
    let retryTimer: TimerHandle | null = null
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

    const waitingJobNames = () => new Set(waiting.map((entry) => entry.jobName))

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
    /**
     * A failed load is retried as a failed socket is: the waiting jobs are `reconnecting` with
     * the `reconnect` backoff, and `failed` after `maxAttempts` in a row. With nobody waiting,
     * nothing is retried: the next subscribeJob() loads it.
     */
    const failToLoad = (error: unknown) => {
      loading = false
      if (disposed) return
      failures += 1
      if (failures === 1) warn('the WebSocket jobs code could not be loaded', error)
      const names = waitingJobNames()
      const givesUp = names.size === 0 || failures >= resolved.maxAttempts
      for (const name of names) {
        writeJob(
          name,
          waitingJob(givesUp ? 'failed' : 'reconnecting', failures, LOAD_FAILURE),
          givesUp ? wsActions.failed : wsActions.reconnect,
        )
      }
      if (givesUp) return endRound()
      retryTimer = runtime.config.timers.setTimeout(
        () => {
          retryTimer = null
          ensureLoaded()
        },
        backoffDelay(failures, resolved.reconnect, runtime.config.random),
      )
    }
    /** The round is over (given up, or nobody waits): no retry; the next load starts a new one. */
    const endRound = () => {
      // Stryker disable next-line ConditionalExpression: clearing no timer is a no-op anyway (as in jobChannel's clear)
      if (retryTimer !== null) runtime.config.timers.clearTimeout(retryTimer)
      retryTimer = null
      failures = 0
    }
    const ensureLoaded = () => {
      const ready = jobsRuntimeChunk.loaded
      if (ready) start(ready)
      // One load at a time, and a retry waits out its backoff.
      else if (!loading && retryTimer === null) {
        loading = true
        // A new round: jobs that gave up wait again, as they do on their first try.
        for (const name of waitingJobNames()) {
          if (get().jobs[name]?.status === 'failed') showWaiting(name)
        }
        jobsRuntimeChunk.load().then(start, failToLoad)
      }
    }

    // Jobs that gave up get another round with a new token or a sign-in, as failed sockets do.
    api.subscribe((state, previous) => {
      if (state.token !== previous.token && state.token !== null && waiting.length > 0) {
        ensureLoaded()
      }
    })

    runtime.disposers.add(() => {
      disposed = true
      waiting.length = 0
      endRound()
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
          if (waiting.length === 0) endRound()
        }
      },
    }
  }
