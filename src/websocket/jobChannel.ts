import type { TimerHandle } from '../env/timers'
import { redactJwts } from '../errors/toErrorState'
import type { ResolvedConfig } from '../runtime'
import { backoffDelay } from '../scheduler/backoff'
import { type WsActionName, wsActions } from './actionNames'
import { type Connection, type ConnectionEvents, openConnection } from './connection'
import { createJobFeed, type JobFeed } from './jobFeed'
import type { JobErrorState, JobEvent, JobState, JobStatus } from './jobState'
import { createThrottle } from './throttle'
import type { WebSocketConstructor } from './webSocketLike'
import type { ResolvedWebSocketOptions } from './websocketOptions'

export interface JobChannelDeps {
  name: string
  options: ResolvedWebSocketOptions
  WebSocket: WebSocketConstructor
  config: Pick<ResolvedConfig, 'timers' | 'now' | 'random'>
  /** The current access token and its local expiry; a null token means signed out. */
  session(): { token: string | null; expiresAt: number | null }
  /** The store's single-flight `refresh()`. */
  refresh(): Promise<boolean>
  /** Mirrors this job's state into the store under an action name. */
  write(job: JobState, action: WsActionName): void
}

/** One job: its listeners, its socket(s), and the reconnect policy. The store only mirrors it. */
export interface JobChannel {
  readonly feed: JobFeed
  snapshot(): JobState
  /** Opens the job's first socket, or marks it closed when signed out. */
  start(): void
  /** The access token changed while signed in: move the job onto it without a gap. */
  onNewToken(): void
  /** Signed out: closes the sockets and timers; status `closed`, written by the caller in one go. */
  halt(): void
  /** Closes everything and never writes again (last listener gone, or store disposed). */
  dispose(): void
}

const describeClose = (code: number, reason: string) =>
  redactJwts(`WebSocket closed with code ${code}${reason ? ` (${reason})` : ''}`).slice(0, 300)

export function createJobChannel(deps: JobChannelDeps): JobChannel {
  const { name, options } = deps
  const { timers, now, random } = deps.config
  const feed = createJobFeed(name)
  // Stryker disable next-line StringLiteral: the slice starts a channel as it creates it, and start() sets the status before anything reads it
  let status: JobStatus = 'closed'
  let attempts = 0
  let error: JobErrorState | null = null
  /** The newest socket; during a handover `previous` still feeds the listeners. */
  let current: Connection | null = null
  let previous: Connection | null = null
  let retryTimer: TimerHandle | null = null
  let handoverTimer: TimerHandle | null = null
  let reauthTimer: TimerHandle | null = null
  let awaitingToken = false
  let everDelivered = false
  /** Bumped on halt: a refresh that settles afterwards belongs to an older life of the job. */
  let life = 0
  let disposed = false

  const snapshot = (): JobState => ({
    status,
    attempts,
    lastEventAt: feed.lastEventAt,
    lastSeq: feed.lastSeq,
    error,
  })

  const publish = (action: WsActionName) => {
    if (disposed) return
    // Every write carries the latest position, so a pending progress write is not needed.
    progressWrite.ran()
    deps.write(snapshot(), action)
  }
  const progressWrite = createThrottle(timers, now, options.progressWriteIntervalMs, () =>
    publish(wsActions.message),
  )

  const setStatus = (next: JobStatus, action: WsActionName) => {
    status = next
    publish(action)
  }

  const clear = (timer: TimerHandle | null): null => {
    // Stryker disable next-line ConditionalExpression: clearing no timer is a no-op anyway
    if (timer !== null) timers.clearTimeout(timer)
    return null
  }

  const retireAll = () => {
    current?.retire()
    previous?.retire()
    current = previous = null
    retryTimer = clear(retryTimer)
    handoverTimer = clear(handoverTimer)
    reauthTimer = clear(reauthTimer)
    progressWrite.cancel()
    awaitingToken = false
  }

  // Once the job has delivered, a reconnect resumes from 0 even before any progress arrived,
  // so nothing sent while the socket was down is missed.
  const resumeAfter = () => feed.lastSeq ?? (everDelivered ? 0 : null)

  /** Counts a failed attempt; false when that was the last one allowed (the job is `failed`). */
  const recordFailure = (failure: JobErrorState): boolean => {
    attempts += 1
    error = failure
    if (attempts >= options.maxAttempts) {
      retireAll()
      setStatus('failed', wsActions.failed)
      return false
    }
    const lifeBefore = life
    setStatus('reconnecting', wsActions.reconnect)
    // A store listener that signed out (and in) during that write halted (and restarted) the
    // job: the retry is no longer this attempt's to schedule.
    return lifeBefore === life
  }

  const scheduleRetry = () => {
    retryTimer = clear(retryTimer)
    retryTimer = timers.setTimeout(
      () => {
        retryTimer = null
        connect()
      },
      backoffDelay(attempts, options.reconnect, random),
    )
  }

  const failAttempt = (failure: JobErrorState) => {
    if (recordFailure(failure)) scheduleRetry()
  }

  /** Never opens a socket with an expired token: refreshes first (shared with every caller). */
  const awaitToken = () => {
    awaitingToken = true
    const startedIn = life
    void deps.refresh().then(() => {
      // A new token reaches `onNewToken` while the refresh applies it; still waiting means none came.
      if (startedIn !== life || !awaitingToken) return
      awaitingToken = false
      failAttempt({ kind: 'unauthorized', message: 'No fresh access token for the socket' })
    })
  }

  const connect = (afterRefresh = false) => {
    const { token, expiresAt } = deps.session()
    if (token === null || disposed) return
    // Stryker disable next-line ConditionalExpression: a signed-in session always has an expiresAt (computeExpiresAt returns a number); the check narrows the type
    if (expiresAt !== null && expiresAt <= now()) {
      // A token that is expired the moment it arrives would refresh in a loop: count it instead.
      if (afterRefresh) failAttempt({ kind: 'unauthorized', message: 'The new token is expired' })
      else awaitToken()
      return
    }
    try {
      current = openConnection({
        WebSocket: deps.WebSocket,
        url: options.url(name),
        strategy: options.tokenStrategy,
        token,
        resumeAfter,
        events: connectionEvents,
      })
    } catch (cause) {
      // A constructor error quotes the URL, which holds the token with the 'query' strategy.
      const message = (cause instanceof Error ? cause.message : String(cause))
        .split(token)
        .join('…(redacted)')
      failAttempt({ kind: 'network', message: redactJwts(`Could not open the socket: ${message}`) })
    }
  }

  /** Make-before-break: the delivering socket keeps feeding the listeners until the new one delivers. */
  const handover = () => {
    reauthTimer = clear(reauthTimer)
    previous?.retire()
    previous = current
    current = null
    handoverTimer = clear(handoverTimer)
    handoverTimer = timers.setTimeout(() => {
      handoverTimer = null
      // Stryker disable next-line OptionalChaining: the timer runs only while previous is set: handover() makes the delivering socket previous, and whatever clears previous clears this timer
      previous?.retire()
      previous = null
      if (status === 'open') setStatus('reconnecting', wsActions.reconnect)
    }, options.handoverTimeoutMs)
    connect()
  }

  const reauthenticateInPlace = (socket: Connection, token: string) => {
    socket.reauthenticate(token)
    reauthTimer = clear(reauthTimer)
    // No ack in time: fall back to a new socket, the old one feeding until it delivers.
    reauthTimer = timers.setTimeout(() => {
      reauthTimer = null
      handover()
    }, options.handoverTimeoutMs)
  }

  /** Only the current socket can first deliver: `previous` always delivered already. */
  const onDelivering = () => {
    everDelivered = true
    previous?.retire()
    previous = null
    handoverTimer = clear(handoverTimer)
    if (status === 'open') return
    attempts = 0
    error = null
    setStatus('open', wsActions.open)
  }

  const onMessage = (_socket: Connection, event: JobEvent) => {
    // The last listener may unsubscribe in its callback, disposing the job: nothing to write then,
    // and no throttle timer may outlive it.
    if (feed.deliver(event, now()) && !disposed) progressWrite.request()
  }

  const onClose = (socket: Connection, code: number, reason: string) => {
    if (socket === previous) {
      previous = null
      handoverTimer = clear(handoverTimer)
      if (status === 'open' && !current?.delivering) setStatus('reconnecting', wsActions.reconnect)
      return
    }
    // Any other socket is retired, so silent: this is the current one.
    current = null
    const wasReauthenticating = reauthTimer !== null
    reauthTimer = clear(reauthTimer)
    // Resume covers whatever a dropped handover would have carried: start over on one socket.
    previous?.retire()
    previous = null
    handoverTimer = clear(handoverTimer)
    const isAuthClose = options.authCloseCodes.has(code)
    const failure: JobErrorState = {
      kind: isAuthClose ? 'unauthorized' : 'network',
      message: describeClose(code, reason),
      closeCode: code,
    }
    if (wasReauthenticating) {
      // The server would not take the new token in place: the spec'd fallback is a new socket.
      status = 'reconnecting'
      error = failure
      publish(wsActions.reconnect)
      connect()
      return
    }
    if (!recordFailure(failure)) return
    if (!isAuthClose) scheduleRetry()
    // One refresh (single-flight, shared by every job closed at once), unless one already
    // replaced the token this socket had.
    else if (socket.token === deps.session().token) awaitToken()
    else connect()
  }

  const connectionEvents: ConnectionEvents = {
    onDelivering,
    onReauthenticated: (socket) => {
      // Stryker disable next-line ConditionalExpression: a re-auth timer runs only while the current socket delivers, when there is no previous socket and retired ones are silent: no other socket can clear it
      if (socket === current) reauthTimer = clear(reauthTimer)
    },
    onMessage,
    onClose,
  }

  return {
    feed,
    snapshot,
    start() {
      // Stryker disable next-line ConditionalExpression: the slice never starts a disposed channel (it leaves the map first), and publish() and connect() check disposed themselves
      if (disposed) return
      retireAll()
      life += 1
      attempts = 0
      error = null
      if (deps.session().token === null) {
        setStatus('closed', wsActions.close)
        return
      }
      const startedIn = life
      setStatus('connecting', wsActions.connect)
      // A listener that signed out (and in) during that write has halted (and restarted) it.
      if (startedIn === life) connect()
    },
    onNewToken() {
      // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a closed or disposed job went through retireAll (no socket, retry or refresh left), and a disposed one neither writes nor connects: nothing below changes
      if (disposed || status === 'closed') return
      if (status === 'failed') {
        // A new token is new information: give a failed job another round of attempts.
        attempts = 0
        setStatus('reconnecting', wsActions.reconnect)
        connect()
        return
      }
      if (awaitingToken) {
        awaitingToken = false
        connect(true)
        return
      }
      // No socket (as whenever a retry is pending): the next attempt reads the newest token.
      if (current === null) return
      const { token } = deps.session()
      // Stryker disable next-line ConditionalExpression: onNewToken follows a change to a token, and a sign-out meanwhile closes the job (returned above): the token is there; the check narrows the type
      if (token === null) return
      if (!current.delivering) {
        // Nothing is delivered on it yet, so nothing is lost by replacing it at once.
        current.retire()
        current = null
        connect()
      } else if (options.reauthInPlace) {
        reauthenticateInPlace(current, token)
      } else {
        handover()
      }
    },
    halt() {
      retireAll()
      life += 1
      status = 'closed'
      attempts = 0
      error = null
    },
    dispose() {
      retireAll()
      // Stryker disable next-line AssignmentOperator: lives are only compared for equality, and a disposed job never writes or connects again, whichever life a late refresh sees
      life += 1
      disposed = true
    },
  }
}
