import type { AuthEnv, BroadcastChannelConstructor, LockManagerLike } from '../../src/env/browser'

/**
 * A browser environment a test can drive: emit events, hide the page, go offline. Locks and
 * BroadcastChannel are whatever the test passes (Node's real BroadcastChannel, `createFakeLocks`).
 */
export function createFakeEnv(
  parts: { locks?: LockManagerLike; BroadcastChannel?: BroadcastChannelConstructor } = {},
) {
  const listeners = new Map<string, Set<(event?: unknown) => void>>()
  let visibility: 'visible' | 'hidden' = 'visible'
  let online = true
  const env: AuthEnv = {
    addEventListener(type, listener) {
      const set = listeners.get(type) ?? new Set()
      listeners.set(type, set)
      set.add(listener)
      return () => set.delete(listener)
    },
    visibility: () => visibility,
    online: () => online,
    locks: parts.locks,
    BroadcastChannel: parts.BroadcastChannel,
  }
  return {
    env,
    emit(type: string, event?: unknown) {
      for (const listener of [...(listeners.get(type) ?? [])]) listener(event)
    },
    setVisibility(next: 'visible' | 'hidden') {
      visibility = next
    },
    setOnline(next: boolean) {
      online = next
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  }
}

/** Lets Node's BroadcastChannel deliver what was posted (it takes two event-loop turns). */
export async function flushChannels(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
