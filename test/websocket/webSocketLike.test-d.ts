import { expectTypeOf, test } from 'vitest'
import NodeWebSocket from 'ws'
import type { WebSocketConstructor } from '../../src/websocket/webSocketLike'
import type { WebSocketOptions } from '../../src/websocket/websocketOptions'

test('the browser WebSocket and the ws package client both fit `websocket.WebSocket`', () => {
  expectTypeOf(WebSocket).toExtend<WebSocketConstructor>()
  expectTypeOf(NodeWebSocket).toExtend<WebSocketConstructor>()
  expectTypeOf<{
    url: () => string
    WebSocket: typeof NodeWebSocket
  }>().toExtend<WebSocketOptions>()
})

test('something that is not a WebSocket does not', () => {
  class NotASocket {
    send(_data: number) {}
  }
  expectTypeOf(NotASocket).not.toExtend<WebSocketConstructor>()
})
