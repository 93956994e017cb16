import { describe, expect, it, vi } from 'vitest'
import { wsActions } from '../../src/websocket/actionNames'
import { createTestStore } from '../utils/createTestStore'
import { setUpFakeDevtoolsExtension } from '../utils/fakeDevtoolsExtension'
import { createFakeWebSockets } from '../utils/fakeWebSocket'
import { tokenAt } from '../utils/jwt'

const devtools = setUpFakeDevtoolsExtension({ fakeTimersFrom: new Date('2026-01-01T09:00:00Z') })

describe('websocket devtools actions', () => {
  it('names every change of a job’s life, and never sends a token', async () => {
    const sockets = createFakeWebSockets()
    const { store, fake } = createTestStore({
      devtools: true,
      autoStart: false,
      websocket: {
        url: (name) => `wss://api.test/ws/jobs/${name}`,
        WebSocket: sockets.WebSocket,
        maxAttempts: 2,
      },
    })
    await store
      .getState()
      .login({ accessToken: tokenAt(Date.now()), refreshToken: 'refresh-secret' })
    const unsubscribe = store.getState().subscribeJob('build', () => {})
    sockets.last().authenticate()
    for (let seq = 1; seq <= 20; seq++) {
      sockets.last().progress(seq)
      await vi.advanceTimersByTimeAsync(100)
    }
    await store.getState().refresh()
    sockets.last().deliver({ type: 'auth_ok' })
    sockets.last().drop()
    await vi.advanceTimersByTimeAsync(1_000)
    sockets.last().drop()
    unsubscribe()

    const wsTypes = devtools.actionTypes().filter((type) => type.startsWith('ws/'))
    expect(wsTypes).toEqual([
      wsActions.connect,
      wsActions.open,
      // 20 events over 2 s: one summary write a second, not one per event.
      wsActions.message,
      wsActions.message,
      wsActions.reconnect,
      wsActions.failed,
      wsActions.close,
    ])
    expect(devtools.actionTypes()).not.toContain('anonymous')
    const transcript = devtools.transcript()
    for (const token of [store.getState().token, ...fake.issued]) {
      expect(transcript).not.toContain(token)
    }
    const jobStates = devtools.sent
      .filter((entry) => entry.action.type.startsWith('ws/'))
      .map((entry) => entry.state.jobs)
    expect(JSON.stringify(jobStates)).not.toMatch(/token|eyJ/i)
  })
})
