import type { AuthRuntime } from '../runtime'
import type { SliceCreator } from '../storeTypes'
import { wsActions } from './actionNames'
import { createJobChannel, type JobChannel } from './jobChannel'
import type { JobsSlice, JobsSliceActions } from './jobState'
import type { WebSocketConstructor } from './webSocketLike'
import type { ResolvedWebSocketOptions } from './websocketOptions'

type SliceArgs = Parameters<SliceCreator<JobsSlice>>

export interface JobsRuntimeDeps {
  runtime: AuthRuntime
  options: ResolvedWebSocketOptions
  set: SliceArgs[0]
  get: SliceArgs[1]
  api: SliceArgs[2]
}

/**
 * The jobs slice's machinery, in a chunk of its own that the store loads only when it has the
 * `websocket` option (src/websocket/jobsSlice.ts): WebSocket job-progress connections that
 * follow the session. A new access token moves every job onto it without losing a message
 * (re-auth in place, or a new socket before the old one closes); sign-out closes the sockets
 * and sign-in reopens them.
 */
export function startJobs({ runtime, options, set, get, api }: JobsRuntimeDeps): {
  /** The caller has checked the listener and found the WebSocket constructor. */
  subscribeJob(
    jobName: string,
    listener: Parameters<JobsSliceActions['subscribeJob']>[1],
    WebSocket: WebSocketConstructor,
  ): () => void
} {
  const channels = new Map<string, JobChannel>()
  let disposed = false

  const createChannel = (name: string, WebSocket: WebSocketConstructor) =>
    createJobChannel({
      name,
      options,
      WebSocket,
      config: runtime.config,
      session: () => {
        const { token, expiresAt } = get()
        return { token, expiresAt }
      },
      refresh: () => get().refresh(),
      write: (job, action) =>
        set(
          (draft) => {
            draft.jobs[name] = job
          },
          // Stryker disable next-line BooleanLiteral: equivalent under immer, whose recipe yields the whole next state (as authSlice's MERGE says)
          false,
          action,
        ),
    })

  // The token is what the sockets carry: react to it changing, not to every state change.
  const stopFollowingToken = api.subscribe((state, previous) => {
    if (state.token === previous.token) return
    if (state.token === null) {
      for (const channel of channels.values()) channel.halt()
      if (channels.size === 0) return
      set(
        (draft) => {
          for (const [name, channel] of channels) draft.jobs[name] = channel.snapshot()
        },
        // Stryker disable next-line BooleanLiteral: equivalent under immer, whose recipe yields the whole next state (as authSlice's MERGE says)
        false,
        wsActions.close,
      )
    } else if (previous.token === null) {
      for (const channel of channels.values()) channel.start()
    } else {
      for (const channel of channels.values()) channel.onNewToken()
    }
  })

  runtime.disposers.add(() => {
    disposed = true
    stopFollowingToken()
    for (const channel of channels.values()) channel.dispose()
    channels.clear()
  })

  return {
    subscribeJob(jobName, listener, WebSocket) {
      if (disposed) return () => {}
      let channel = channels.get(jobName)
      const isFirst = channel === undefined
      if (channel === undefined) {
        channel = createChannel(jobName, WebSocket)
        channels.set(jobName, channel)
      }
      const removeListener = channel.feed.add(listener)
      if (isFirst) channel.start()

      return () => {
        removeListener()
        // Not the last listener, or the job is gone already: an earlier call removed it, or
        // dispose() did (it empties the map), so a repeated call changes nothing.
        if (channel.feed.size > 0 || channels.get(jobName) !== channel) return
        channels.delete(jobName)
        channel.dispose()
        set(
          (draft) => {
            delete draft.jobs[jobName]
          },
          // Stryker disable next-line BooleanLiteral: equivalent under immer, whose recipe yields the whole next state (as authSlice's MERGE says)
          false,
          wsActions.close,
        )
      }
    },
  }
}
