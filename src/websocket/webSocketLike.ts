/**
 * The part of the WebSocket API the slice uses. Both the browser's `WebSocket` and the `ws`
 * package's client satisfy it, so either can be passed as `websocket.WebSocket`.
 */
export interface WebSocketLike {
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open', listener: () => void): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void
  addEventListener(type: 'error', listener: (event: unknown) => void): void
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike
