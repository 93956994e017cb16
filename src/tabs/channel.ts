import type { StateStorage } from 'zustand/middleware'
import type { AuthEnv } from '../env/browser'
import { ignoreRejection } from '../thenable'

export interface TabChannel {
  post(message: unknown): void
  close(): void
}

/**
 * A message bus between the tabs of one origin: BroadcastChannel where the platform has it,
 * else `storage` events (a write to localStorage fires one in every *other* document), else
 * nothing (one tab alone, which is still correct).
 */
export function openTabChannel(options: {
  env: AuthEnv
  storage: StateStorage
  name: string
  onMessage: (data: unknown) => void
}): TabChannel {
  const { env, storage, name, onMessage } = options
  if (env.BroadcastChannel) {
    const channel = new env.BroadcastChannel(name)
    channel.onmessage = (event) => onMessage(event.data)
    return {
      post: (message) => channel.postMessage(message),
      close: () => channel.close(),
    }
  }
  const busKey = `${name}:message`
  const stop = env.addEventListener('storage', (event) => {
    const { key, newValue } = (event ?? {}) as { key?: unknown; newValue?: unknown }
    // Stryker disable next-line ConditionalExpression: a removed key's null parses to null, which the only listener (parseTabMessage) drops; any other non-string fails JSON.parse and is caught
    if (key !== busKey || typeof newValue !== 'string') return
    try {
      onMessage(JSON.parse(newValue))
    } catch {
      // not ours, or torn: ignore
    }
  })
  return {
    post(message) {
      try {
        // A nonce makes every write a change, so the same message twice still fires an event.
        ignoreRejection(
          storage.setItem(busKey, JSON.stringify({ ...(message as object), nonce: Math.random() })),
        )
      } catch {
        // a full or failing storage only costs the other tabs a message; they catch up on their tick
      }
    },
    close: stop,
  }
}
