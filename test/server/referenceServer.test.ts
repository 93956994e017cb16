// @vitest-environment node

import { request } from 'node:http'
import { afterEach, describe, expect, test, vi } from 'vitest'
import WebSocket from 'ws'
import {
  type ReferenceServer,
  type ReferenceServerOptions,
  startReferenceServer,
} from './referenceServer'
import {
  connectJob,
  login,
  openJobClient,
  postJson,
  type TokenResponse,
  validateStatus,
} from './serverTestKit'

let server: ReferenceServer

async function start(options: ReferenceServerOptions = {}) {
  server = await startReferenceServer({ job: { intervalMs: 20 }, ...options })
  return server
}

afterEach(async () => {
  vi.useRealTimers()
  await server?.close()
})

async function control(action: string, args: Record<string, unknown> = {}) {
  const response = await postJson(`${server.url}/__control`, { action, ...args })
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; result?: unknown },
  }
}

describe('startReferenceServer', () => {
  test('listens on a free port of 127.0.0.1 and reports its URLs', async () => {
    await start()

    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect(server.wsUrl).toBe(`ws://127.0.0.1:${server.port}`)
  })

  test('close() ends open sockets and running jobs, then refuses connections', async () => {
    await start()
    const tokens = await login(server)
    const client = connectJob(server, 'build', { strategy: 'query', token: tokens.access_token })
    await client.next('progress')

    await server.close()

    expect((await client.closed).code).toBe(1006)
    await expect(fetch(`${server.url}/auth/validate`)).rejects.toThrow(TypeError)
  })

  test('close() clears every timer the server started, so the process can exit', async () => {
    await start()
    const tokens = await loginWithoutKeepAlive(server)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    // A job interval and the expiry sweep, plus the auth deadline of a silent socket.
    const subscriber = connectJob(server, 'build', {
      strategy: 'query',
      token: tokens.access_token,
    })
    await subscriber.next('auth_ok')
    const silent = openJobClient(new WebSocket(`${server.wsUrl}/ws/jobs/build`))
    await silent.opened
    expect(vi.getTimerCount()).toBe(3)

    await server.close()

    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('down() and up()', () => {
  test('refuse connections while down, then serve on the same port', async () => {
    await start()
    const tokens = await login(server)
    const client = connectJob(server, 'build', { strategy: 'query', token: tokens.access_token })
    await client.next('progress')

    await server.control.down()

    expect(server.control.isDown()).toBe(true)
    expect((await client.closed).code).toBe(1006)
    await expect(fetch(`${server.url}/auth/validate`)).rejects.toThrow(TypeError)
    // A pooled keep-alive connection may fail first with a socket error; a new one is refused.
    await expect.poll(() => fetchErrorCode(`${server.url}/auth/validate`)).toBe('ECONNREFUSED')

    await server.control.up()

    expect(server.control.isDown()).toBe(false)
    expect(await validateStatus(server, tokens.access_token)).toBe(200)
  })
})

describe('counts', () => {
  test('count every request by route key, unknown routes included, until reset', async () => {
    await start()
    await login(server)
    await fetch(`${server.url}/auth/validate`)
    await fetch(`${server.url}/auth/validate`)
    await fetch(`${server.url}/nowhere`)

    expect(server.control.counts()).toEqual({
      'POST /auth/login': 1,
      'GET /auth/validate': 2,
      'GET /nowhere': 1,
    })
    server.control.resetCounts()
    expect(server.control.counts()).toEqual({})
  })
})

describe('POST /__control', () => {
  test('is absent unless exposeControl is set', async () => {
    await start()

    expect((await control('counts')).status).toBe(404)
  })

  test('drives the same control, unaffected by failures, and uncounted', async () => {
    await start({ exposeControl: true })
    await login(server)

    expect(await control('setFailure', { rate: 1, mode: 503, retryAfterSec: 1 })).toEqual({
      status: 200,
      body: { ok: true, result: null },
    })
    expect((await fetch(`${server.url}/api/me`)).status).toBe(503)
    const counts = await fetch(`${server.url}/__control/counts`)
    expect(await counts.json()).toEqual({
      ok: true,
      result: { 'POST /auth/login': 1, 'GET /api/me': 1 },
    })
  })

  test('answers an unknown action or bad arguments with 400', async () => {
    await start({ exposeControl: true })

    expect((await control('explode')).status).toBe(400)
    expect((await control('setClockOffset', { ms: 'soon' })).status).toBe(400)
    expect((await control('setFailure', { rate: 1, mode: 418 })).status).toBe(400)
  })

  test('down answers first, then goes down; forMs brings it back on the same port', async () => {
    await start({ exposeControl: true })

    expect((await control('down', { forMs: 200 })).body).toEqual({ ok: true, result: null })

    await expect.poll(() => server.control.isDown()).toBe(true)
    await expect.poll(() => server.control.isDown()).toBe(false)
    expect((await fetch(`${server.url}/auth/validate`)).status).toBe(401)
  })
})

describe('CORS', () => {
  const APP_ORIGIN = 'http://localhost:6006'

  test('echoes an allowed Origin with credentials and answers the preflight', async () => {
    await start({ corsOrigins: [APP_ORIGIN] })

    const preflight = await fetch(`${server.url}/auth/refresh`, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type')

    const response = await fetch(`${server.url}/auth/validate`, { headers: { origin: APP_ORIGIN } })
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(response.headers.get('access-control-expose-headers')).toContain('Retry-After')
  })

  test("allows nobody by default and anybody with '*'", async () => {
    await start()
    const closed = await fetch(`${server.url}/auth/validate`, { headers: { origin: APP_ORIGIN } })
    expect(closed.headers.get('access-control-allow-origin')).toBeNull()
    await server.close()

    await start({ corsOrigins: '*' })
    const open = await fetch(`${server.url}/auth/validate`, {
      headers: { origin: 'http://x.test' },
    })
    expect(open.headers.get('access-control-allow-origin')).toBe('http://x.test')
  })
})

async function fetchErrorCode(url: string): Promise<string | undefined> {
  try {
    await fetch(url)
    return undefined
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code
  }
}

/** fetch pools connections and arms a keep-alive timer of its own: it would skew timer counts. */
function loginWithoutKeepAlive(target: ReferenceServer): Promise<TokenResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${target.url}/auth/login`, { method: 'POST', agent: false }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      res.on('end', () => resolve(JSON.parse(body) as TokenResponse))
    })
    req.on('error', reject)
    req.end(JSON.stringify({ username: 'demo', password: 'demo' }))
  })
}
