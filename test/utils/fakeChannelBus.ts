import type { BroadcastChannelConstructor, BroadcastChannelLike } from '../../src/env/browser'

/**
 * A BroadcastChannel that records what the tab posts and lets the test speak for other tabs of
 * the origin (their messages carry `key`, a sender 'other-tab' and the current time).
 */
export function createChannelBus(key = 'auth-session') {
  const names: string[] = []
  const posted: Array<Record<string, unknown>> = []
  const channels: BroadcastChannelLike[] = []
  let closed = 0
  const Channel = class implements BroadcastChannelLike {
    onmessage: ((event: { data: unknown }) => void) | null = null
    constructor(name: string) {
      names.push(name)
      channels.push(this)
    }
    postMessage(message: unknown) {
      posted.push(message as Record<string, unknown>)
    }
    close() {
      closed += 1
    }
  } as BroadcastChannelConstructor
  return {
    Channel,
    names,
    posted,
    kinds: () => posted.map((message) => message.kind),
    closed: () => closed,
    /** A message from another tab of the origin. */
    inject(fields: Record<string, unknown>) {
      const data = { key, from: 'other-tab', sentAt: Date.now(), ...fields }
      for (const channel of channels) channel.onmessage?.({ data })
    },
  }
}
