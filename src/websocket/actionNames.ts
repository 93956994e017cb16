/** Every name the websocket slice gives a state change in Redux DevTools. Tests import these. */
export const wsActions = {
  /** A job's first socket is being opened (subscribed while signed in, or signed in again). */
  connect: 'ws/connect',
  /** The job's current socket delivers (its `auth_ok` or its first message). */
  open: 'ws/open',
  /**
   * Progress bookkeeping (`lastSeq`, `lastEventAt`), at most once per `progressWriteIntervalMs`
   * per job: listeners get every message, the store only a summary.
   */
  message: 'ws/message',
  /** The socket was lost (or refused, or needs a new token): waiting to reconnect. */
  reconnect: 'ws/reconnect',
  /** Closed on purpose: signed out, or the job's last listener unsubscribed. */
  close: 'ws/close',
  /** `maxAttempts` consecutive failures: no more reconnects until a new token or sign-in. */
  failed: 'ws/failed',
} as const

export type WsActionName = (typeof wsActions)[keyof typeof wsActions]
