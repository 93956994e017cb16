// @vitest-environment node

import { afterEach, describe, expect, test, vi } from 'vitest'
import WebSocket from 'ws'
import {
  type ReferenceServer,
  type ReferenceServerOptions,
  startReferenceServer,
} from './referenceServer'
import {
  claimsOf,
  connectJob,
  login,
  openJobClient,
  refresh,
  type TokenResponse,
} from './serverTestKit'

const START_MS = Date.parse('2030-01-01T00:00:00Z')
const MINUTE_MS = 60_000
// Small enough to keep the file fast, large enough that a test sees events one by one.
const FAST_JOB = { intervalMs: 20, steps: 100 }

let server: ReferenceServer
let nowMs = START_MS

async function start(options: ReferenceServerOptions = {}) {
  nowMs = START_MS
  server = await startReferenceServer({ now: () => nowMs, job: FAST_JOB, ...options })
  return server
}

afterEach(async () => {
  vi.useRealTimers()
  await server?.close()
})

describe('authentication', () => {
  test.each(['protocol', 'query', 'message'] as const)(
    "strategy '%s': auth_ok first, then progress events",
    async (strategy) => {
      await start()
      const tokens = await login(server)

      const client = connectJob(server, 'build', { strategy, token: tokens.access_token })

      expect(await client.next()).toEqual({
        type: 'auth_ok',
        exp: claimsOf(tokens.access_token).exp,
      })
      expect(await client.next()).toMatchObject({
        type: 'progress',
        seq: 1,
        job: 'build',
        progress: 1,
        at: START_MS,
      })
      expect(await client.next()).toMatchObject({ type: 'progress', seq: 2, progress: 2 })
      expect(server.control.wsConnections()).toEqual([
        expect.objectContaining({ job: 'build', strategy, sid: claimsOf(tokens.access_token).sid }),
      ])
    },
  )

  test("selects the 'bearer' subprotocol, as browsers require", async () => {
    await start()
    const tokens = await login(server)

    const client = connectJob(server, 'build', { strategy: 'protocol', token: tokens.access_token })
    await client.opened

    expect(client.ws.protocol).toBe('bearer')
  })

  test.each(['protocol', 'query', 'message'] as const)(
    "strategy '%s' with a bad token: closed with 4401",
    async (strategy) => {
      await start()

      const client = connectJob(server, 'build', { strategy, token: 'not.a.jwt' })

      expect(await client.closed).toEqual({ code: 4401, reason: 'invalid token' })
      expect(client.received).toEqual([])
      expect(server.control.counts()['ws:unauthorized']).toBe(1)
    },
  )

  test('without a token or auth message within 5 s: closed with 4401', async () => {
    await start()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const client = openJobClient(new WebSocket(`${server.wsUrl}/ws/jobs/build`))
    await client.opened

    await vi.advanceTimersByTimeAsync(4999)
    expect(server.control.wsConnections()[0]?.closeCode).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(server.control.wsConnections()[0]?.closeCode).toBe(4401)

    expect((await client.closed).code).toBe(4401)
  })

  test('a message other than auth before auth: closed with 4401', async () => {
    await start()
    const client = openJobClient(new WebSocket(`${server.wsUrl}/ws/jobs/build`))
    await client.opened

    client.ws.send(JSON.stringify({ type: 'hello' }))

    expect((await client.closed).code).toBe(4401)
  })

  test('an upgrade to any other path gets 404', async () => {
    await start()
    const client = openJobClient(new WebSocket(`${server.wsUrl}/ws/other`))

    await expect(client.opened).rejects.toThrow('404')
    expect(server.control.counts()['ws:rejected']).toBe(1)
  })
})

describe('resume', () => {
  async function firstEvents(tokens: TokenResponse, count: number) {
    const client = connectJob(server, 'report', { strategy: 'query', token: tokens.access_token })
    for (let seq = 1; seq <= count; seq++) await client.next('progress')
    client.ws.close()
    await client.closed
  }

  test.each(['query', 'message'] as const)(
    "'%s' resume replays the events after lastSeq, then continues live",
    async (strategy) => {
      await start()
      const tokens = await login(server)
      await firstEvents(tokens, 4)

      const client = connectJob(server, 'report', {
        strategy,
        token: tokens.access_token,
        resume: 2,
      })

      expect((await client.next()).type).toBe('auth_ok')
      const seqs = []
      for (let i = 0; i < 4; i++) seqs.push((await client.next('progress')).seq)
      expect(seqs).toEqual([3, 4, 5, 6])
    },
  )

  test('a finished job replays what is left, then done', async () => {
    await start()
    server.control.startJob('short', { intervalMs: 5, steps: 3 })
    const tokens = await login(server)
    const watcher = connectJob(server, 'short', { strategy: 'query', token: tokens.access_token })
    await watcher.next('done')

    const client = connectJob(server, 'short', {
      strategy: 'query',
      token: tokens.access_token,
      resume: 1,
    })

    await client.next('auth_ok')
    expect(await client.next()).toMatchObject({ type: 'progress', seq: 2 })
    expect(await client.next()).toMatchObject({ type: 'progress', seq: 3, progress: 100 })
    expect(await client.next()).toEqual({ type: 'done', job: 'short' })
  })
})

describe('token lifecycle on an open socket', () => {
  test('re-auth in place swaps the token without a new socket or a gap', async () => {
    await start()
    const first = await login(server)
    const client = connectJob(server, 'build', { strategy: 'protocol', token: first.access_token })
    await client.next('auth_ok')
    const before = (await client.next('progress')).seq as number
    nowMs += MINUTE_MS
    const second = (await (await refresh(server, first.refresh_token)).json()) as TokenResponse

    client.ws.send(JSON.stringify({ type: 'auth', token: second.access_token }))

    expect(await client.next('auth_ok')).toEqual({
      type: 'auth_ok',
      exp: claimsOf(second.access_token).exp,
    })
    expect(claimsOf(second.access_token).exp).toBeGreaterThan(claimsOf(first.access_token).exp)
    const progress = client.received.filter((m) => m.type === 'progress').map((m) => m.seq)
    const after = (await client.next('progress')).seq as number
    expect(after).toBeGreaterThan(before)
    expect(progress).toEqual(Array.from({ length: progress.length }, (_, i) => i + 1))
    const [record] = server.control.wsConnections()
    expect(server.control.wsConnections()).toHaveLength(1)
    expect(record).toMatchObject({ jti: claimsOf(second.access_token).jti, closedAt: null })
  })

  test('re-auth with a bad token: closed with 4401', async () => {
    await start()
    const tokens = await login(server)
    const client = connectJob(server, 'build', { strategy: 'query', token: tokens.access_token })
    await client.next('auth_ok')

    client.ws.send(JSON.stringify({ type: 'auth', token: 'garbage' }))

    expect(await client.closed).toEqual({ code: 4401, reason: 'invalid token' })
  })

  test('closed with 4401 at the first event after the token expires by the server clock', async () => {
    await start({ accessTokenTtlMs: MINUTE_MS })
    const tokens = await login(server)
    // Steps the job by hand; the once-a-second sweep (also an interval) stays far away.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const client = connectJob(server, 'build', { strategy: 'query', token: tokens.access_token })
    await client.next('auth_ok')
    nowMs += MINUTE_MS - 1
    await vi.advanceTimersByTimeAsync(FAST_JOB.intervalMs)
    expect(await client.next('progress')).toMatchObject({ seq: 1 })

    nowMs += 1
    await vi.advanceTimersByTimeAsync(FAST_JOB.intervalMs)

    expect(server.control.wsConnections()[0]).toMatchObject({ closeCode: 4401, closedAt: nowMs })
    expect(await client.closed).toEqual({ code: 4401, reason: 'token expired' })
    expect(client.received.filter((message) => message.type === 'progress')).toHaveLength(1)
  })

  test('a sweep every second closes sockets even when no event is sent', async () => {
    await start({ accessTokenTtlMs: MINUTE_MS })
    const tokens = await login(server)
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    server.control.startJob('quiet', { intervalMs: 5, steps: 1 })
    const client = connectJob(server, 'quiet', { strategy: 'query', token: tokens.access_token })
    await client.next('auth_ok')
    await vi.advanceTimersByTimeAsync(5)
    await client.next('done')
    nowMs += MINUTE_MS

    await vi.advanceTimersByTimeAsync(994)
    // The server records the close synchronously, so this is not racing the network.
    expect(server.control.wsConnections()[0]?.closeCode).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(server.control.wsConnections()[0]?.closeCode).toBe(4401)

    expect(await client.closed).toEqual({ code: 4401, reason: 'token expired' })
  })

  test('revokeSession closes its sockets with 4401 token revoked', async () => {
    await start()
    const tokens = await login(server)
    const client = connectJob(server, 'build', { strategy: 'message', token: tokens.access_token })
    await client.next('progress')

    server.control.revokeSession(claimsOf(tokens.access_token).sid)

    expect(await client.closed).toEqual({ code: 4401, reason: 'token revoked' })
  })

  test('expireTokensNow closes sockets with 4401 token expired', async () => {
    await start()
    const tokens = await login(server)
    const client = connectJob(server, 'build', { strategy: 'protocol', token: tokens.access_token })
    await client.next('progress')

    server.control.expireTokensNow()

    expect(await client.closed).toEqual({ code: 4401, reason: 'token expired' })
  })
})

describe('socket faults', () => {
  test('dropAllSockets terminates without a close frame (1006)', async () => {
    await start()
    const tokens = await login(server)
    const client = connectJob(server, 'build', { strategy: 'query', token: tokens.access_token })
    await client.next('progress')

    server.control.dropAllSockets()

    expect((await client.closed).code).toBe(1006)
    await vi.waitFor(() => expect(server.control.wsConnections()[0]?.closeCode).toBe(1006))
  })

  test('refuseWebSockets answers upgrades with 503 until that much server time has passed', async () => {
    await start()
    const tokens = await login(server)
    server.control.refuseWebSockets(10_000)

    const refused = connectJob(server, 'build', { strategy: 'query', token: tokens.access_token })
    await expect(refused.opened).rejects.toThrow('503')
    nowMs += 9_999
    const stillRefused = connectJob(server, 'build', {
      strategy: 'query',
      token: tokens.access_token,
    })
    await expect(stillRefused.opened).rejects.toThrow('503')
    nowMs += 1
    const accepted = connectJob(server, 'build', { strategy: 'query', token: tokens.access_token })

    expect((await accepted.next()).type).toBe('auth_ok')
    expect(server.control.counts()).toMatchObject({ 'ws:rejected': 2, 'ws:connect': 1 })
  })

  test('wsConnections shows the old socket closed and the new one on a new token', async () => {
    await start()
    const first = await login(server)
    const old = connectJob(server, 'build', { strategy: 'query', token: first.access_token })
    await old.next('progress')
    server.control.expireTokensNow()
    await old.closed
    const second = (await (await refresh(server, first.refresh_token)).json()) as TokenResponse

    const reconnected = connectJob(server, 'build', {
      strategy: 'query',
      token: second.access_token,
      resume: 1,
    })
    await reconnected.next('progress')

    expect(server.control.wsConnections()).toEqual([
      {
        id: 1,
        job: 'build',
        sid: claimsOf(first.access_token).sid,
        jti: claimsOf(first.access_token).jti,
        strategy: 'query',
        openedAt: START_MS,
        closedAt: START_MS,
        closeCode: 4401,
      },
      expect.objectContaining({ id: 2, jti: claimsOf(second.access_token).jti, closedAt: null }),
    ])
  })
})
