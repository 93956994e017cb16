// @vitest-environment node
import { isAxiosError } from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { isSessionEndedError, SessionEndedError } from '../../src/errors/index'
import { createAuthClient } from '../../src/http/createAuthClient'
import { type LiveSession, startLiveSession } from '../utils/liveSession'
import { answer, type ProbeServer, startProbeServer } from '../utils/probeServer'

let session: LiveSession
let probe: ProbeServer | undefined
afterEach(async () => {
  await session?.close()
  await probe?.close()
  probe = undefined
})

const hundredCalls = (session: LiveSession) =>
  Promise.allSettled(Array.from({ length: 100 }, () => session.client.get('/api/me')))

describe('a 401 on an API call', () => {
  it('100 concurrent calls with an expired token: exactly one refresh, all 100 succeed', async () => {
    session = await startLiveSession()
    await session.login()
    const before = session.store.getState().token
    session.control.expireTokensNow()

    const results = await hundredCalls(session)

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100)
    expect(session.refreshCount()).toBe(1)
    // each call twice: the 401, then its one retry
    expect(session.control.counts()['GET /api/me']).toBe(200)
    expect(session.store.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(session.store.getState().token).not.toBe(before)
    expect(session.signOuts).toEqual([])
  })

  it('the refresh answering 401: one sign-out, every waiting call rejects with SessionEndedError', async () => {
    session = await startLiveSession()
    await session.login()
    session.control.expireTokensNow()
    session.control.revokeSession()

    const results = await hundredCalls(session)

    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : r.value))
    expect(reasons.every(isSessionEndedError)).toBe(true)
    expect(reasons[0]).toBeInstanceOf(SessionEndedError)
    expect(reasons[0]).toMatchObject({ reason: 'unauthorized', status: 401, code: 'unauthorized' })
    // Nothing in it leads back to the request and its Authorization header.
    expect((reasons[0] as Error).cause).toBeUndefined()
    expect(JSON.stringify(reasons[0])).not.toMatch(/Bearer|eyJ/)
    expect(session.refreshCount()).toBe(1)
    expect(session.control.counts()['GET /api/me']).toBe(100)
    expect(session.signOuts).toEqual(['unauthorized'])

    // Later calls go out without a token and get the server's plain 401: nothing to refresh.
    const after = await session.client.get('/api/me').catch((error: unknown) => error)
    expect(isAxiosError(after) && after.response?.status).toBe(401)
    expect(session.refreshCount()).toBe(1)
  })

  it('the refresh failing transiently: the calls get their own 401, the session stays', async () => {
    session = await startLiveSession()
    await session.login()
    session.control.expireTokensNow()
    session.control.setFailure({ rate: 1, mode: 503, routes: ['POST /auth/refresh'] })

    const results = await hundredCalls(session)

    const errors = results.map((r) => (r.status === 'rejected' ? r.reason : null))
    expect(errors.every((e) => isAxiosError(e) && e.response?.status === 401)).toBe(true)
    expect(session.refreshCount()).toBe(1)
    // No call is sent again with the token the server has just refused.
    expect(session.control.counts()['GET /api/me']).toBe(100)
    expect(session.store.getState()).toMatchObject({
      status: 'degraded',
      error: { kind: 'http', status: 503 },
    })
    expect(session.signOuts).toEqual([])

    // Once the server is well again the next call refreshes and succeeds.
    session.control.setFailure(null)
    await expect(session.client.get('/api/me')).resolves.toMatchObject({ status: 200 })
    expect(session.refreshCount()).toBe(2)
  })

  it('a 401 for a call sent with an older token retries with the current one, no refresh', async () => {
    session = await startLiveSession()
    await session.login()
    const { store } = session
    // An own-origin API that holds the first call until the store has moved on to a new token.
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    probe = await startProbeServer(async (request, res) => {
      if (request.authorization === `Bearer ${oldToken}`) {
        await held
        return answer(401, '{"error":"token_expired"}')(request, res, undefined as never)
      }
      answer(200, '{"ok":true}')(request, res, undefined as never)
    })
    const api = createAuthClient(store, { baseURL: probe.url })
    const oldToken = store.getState().token
    const call = api.get('/data')
    await expect.poll(() => probe?.requests.length).toBe(1)

    await store.getState().refresh()
    const newToken = store.getState().token
    expect(session.refreshCount()).toBe(1)
    release()

    await expect(call).resolves.toMatchObject({ status: 200, data: { ok: true } })
    expect(probe.requests.map((r) => r.authorization)).toEqual([
      `Bearer ${oldToken}`,
      `Bearer ${newToken}`,
    ])
    expect(session.refreshCount()).toBe(1)
  })

  it('a retried POST sends the same body, with the new token', async () => {
    session = await startLiveSession()
    await session.login()
    const first = session.store.getState().token
    probe = await startProbeServer((request, res) =>
      answer(request.authorization === `Bearer ${first}` ? 401 : 201, '{}')(
        request,
        res,
        undefined as never,
      ),
    )
    const api = createAuthClient(session.store, { baseURL: probe.url })

    await expect(api.post('/orders', { item: 'book', qty: 2 })).resolves.toMatchObject({
      status: 201,
    })

    const second = session.store.getState().token
    expect(probe.requests.map((r) => [r.method, r.authorization, r.body])).toEqual([
      ['POST', `Bearer ${first}`, '{"item":"book","qty":2}'],
      ['POST', `Bearer ${second}`, '{"item":"book","qty":2}'],
    ])
  })

  it('retries once only: a second 401 reaches the caller, and other statuses pass through', async () => {
    session = await startLiveSession()
    await session.login()
    probe = await startProbeServer(answer(401, '{"error":"nope"}'))
    const api = createAuthClient(session.store, { baseURL: probe.url })

    const error = await api.get('/data').catch((e: unknown) => e)
    expect(isAxiosError(error) && error.response?.status).toBe(401)
    // first attempt, one refresh, one retry with the new token
    expect(probe.requests).toHaveLength(2)
    expect(session.refreshCount()).toBe(1)
    expect(session.store.getState().status).toBe('authenticated')

    probe.setHandler(answer(403, '{"error":"forbidden"}'))
    const forbidden = await api.get('/data').catch((e: unknown) => e)
    expect(isAxiosError(forbidden) && forbidden.response?.status).toBe(403)
    expect(probe.requests).toHaveLength(3)
    expect(session.refreshCount()).toBe(1)
  })
})
