// @vitest-environment node
import { afterEach, describe, expect, test, vi } from 'vitest'
import { type ReferenceServer, startReferenceServer } from './referenceServer'
import { login, postJson, refresh, validateStatus } from './serverTestKit'

let server: ReferenceServer

afterEach(async () => {
  vi.useRealTimers()
  await server?.close()
})

const REFRESH = 'POST /auth/refresh'

describe('setFailure', () => {
  test('503 carries Retry-After, hits only the listed routes, and still counts the attempt', async () => {
    server = await startReferenceServer()
    const tokens = await login(server)
    server.control.setFailure({ rate: 1, mode: 503, retryAfterSec: 7, routes: [REFRESH] })

    const failed = await refresh(server, tokens.refresh_token)

    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toBe('7')
    expect(await validateStatus(server, tokens.access_token)).toBe(200)
    expect(server.control.counts()[REFRESH]).toBe(1)
    server.control.setFailure(null)
    // The failed attempt never reached the session store: the token is still unused.
    expect((await refresh(server, tokens.refresh_token)).status).toBe(200)
    expect(server.control.counts()[REFRESH]).toBe(2)
  })

  test('429 carries Retry-After too', async () => {
    server = await startReferenceServer()
    server.control.setFailure({ rate: 1, mode: 429, retryAfterSec: 2 })

    const response = await postJson(`${server.url}/auth/login`, {
      username: 'demo',
      password: 'demo',
    })

    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
  })

  test('500 has no Retry-After', async () => {
    server = await startReferenceServer()
    server.control.setFailure({ rate: 1, mode: 500, retryAfterSec: 2 })

    const response = await fetch(`${server.url}/auth/validate`)

    expect(response.status).toBe(500)
    expect(response.headers.get('retry-after')).toBeNull()
  })

  test("'drop' destroys the socket without a response", async () => {
    server = await startReferenceServer()
    server.control.setFailure({ rate: 1, mode: 'drop', routes: [REFRESH] })

    await expect(refresh(server, 'whatever')).rejects.toThrow(TypeError)
    expect(server.control.counts()[REFRESH]).toBe(1)
  })

  test('a seeded rate fails the same requests on every run', async () => {
    const pattern = async () => {
      const instance = await startReferenceServer()
      instance.control.setFailure({ rate: 0.5, mode: 500, seed: 42 })
      const statuses: number[] = []
      for (let i = 0; i < 12; i++) statuses.push((await fetch(`${instance.url}/api/me`)).status)
      await instance.close()
      return statuses
    }

    const first = await pattern()
    server = await startReferenceServer()

    expect(await pattern()).toEqual(first)
    expect(first).toContain(500)
    expect(first).toContain(401)
  })

  test('rejects a rate outside 0..1', async () => {
    server = await startReferenceServer()

    expect(() => server.control.setFailure({ rate: 2, mode: 500 })).toThrow(TypeError)
  })
})

describe('setLatency', () => {
  test('holds each response until the latency has passed', async () => {
    server = await startReferenceServer()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.control.setLatency(50)
    let settled = false

    const pending = fetch(`${server.url}/auth/validate`).then((response) => {
      settled = true
      return response
    })
    // Not vi.waitFor: under fake timers it advances them while it polls.
    while (server.control.counts()['GET /auth/validate'] !== 1) await nextIoTurn()
    await vi.advanceTimersByTimeAsync(49)
    for (let turn = 0; turn < 10; turn++) await nextIoTurn()
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)

    expect((await pending).status).toBe(401)
  })
})

/** setImmediate stays real here, so awaiting it lets sockets make progress. */
function nextIoTurn() {
  return new Promise((resolve) => setImmediate(resolve))
}
