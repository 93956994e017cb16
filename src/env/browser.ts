/**
 * Everything the store needs from a browser, behind one injectable object (the `env` option),
 * so tests drive it without a DOM and the store runs in Node too. The only place in the
 * library that touches `window`, `document` or `navigator`.
 */
export interface AuthEnv {
  /** Subscribes to a browser event (window events, and `visibilitychange` on document). Returns a cleanup. */
  addEventListener(type: string, listener: (event?: unknown) => void): () => void
  visibility(): 'visible' | 'hidden'
  online(): boolean
  /** `navigator.locks`, when the platform has it. */
  locks?: LockManagerLike | undefined
  /** The `BroadcastChannel` constructor, when the platform has it. */
  BroadcastChannel?: BroadcastChannelConstructor | undefined
}

export interface LockManagerLike {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>
}

export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike

export interface BroadcastChannelLike {
  postMessage(message: unknown): void
  close(): void
  onmessage: ((event: { data: unknown }) => void) | null
}

/** Events that mean a person is using the page. */
export const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'scroll',
  'touchstart',
]

const DOCUMENT_EVENTS = new Set(['visibilitychange'])

const noop = () => {}

/** A do-nothing environment for Node and SSR: always visible and online, no events, no tabs. */
export const headlessEnv: AuthEnv = {
  addEventListener: () => noop,
  visibility: () => 'visible',
  online: () => true,
  locks: undefined,
  BroadcastChannel: undefined,
}

/** The real browser, feature-detected; falls back to `headlessEnv` piece by piece. */
export function browserEnv(): AuthEnv {
  const win = typeof window === 'undefined' ? undefined : window
  const doc = typeof document === 'undefined' ? undefined : document
  const nav = typeof navigator === 'undefined' ? undefined : navigator
  return {
    addEventListener(type, listener) {
      const target = DOCUMENT_EVENTS.has(type) ? doc : win
      if (typeof target?.addEventListener !== 'function') return noop
      // Passive and capturing: we only note the time, and scroll events do not bubble.
      const options = { capture: true, passive: true }
      target.addEventListener(type, listener, options)
      return () => target.removeEventListener(type, listener, options)
    },
    visibility: () => (doc?.visibilityState === 'hidden' ? 'hidden' : 'visible'),
    online: () => nav?.onLine !== false,
    locks: (nav as { locks?: LockManagerLike } | undefined)?.locks,
    BroadcastChannel:
      typeof BroadcastChannel === 'undefined'
        ? undefined
        : (BroadcastChannel as unknown as BroadcastChannelConstructor),
  }
}

/** Calls `listener` on any user-activity event (and on the page becoming visible). */
export function onUserActivity(env: AuthEnv, listener: () => void): () => void {
  const cleanups = ACTIVITY_EVENTS.map((type) => env.addEventListener(type, listener))
  cleanups.push(
    env.addEventListener('visibilitychange', () => {
      if (env.visibility() === 'visible') listener()
    }),
  )
  return () => {
    for (const cleanup of cleanups) cleanup()
  }
}
