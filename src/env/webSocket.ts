import type { WebSocketConstructor } from '../websocket/webSocketLike'

/**
 * The platform's `WebSocket`, looked up when a job first needs it rather than at import, so a
 * store built during SSR (or in Node 20, which has none) does not fail until sockets are used.
 */
export function platformWebSocket(): WebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket
  return typeof candidate === 'function' ? (candidate as WebSocketConstructor) : undefined
}
