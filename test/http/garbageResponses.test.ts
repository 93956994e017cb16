// @vitest-environment node
import axios from 'axios'
import { describe, expect, it } from 'vitest'
import { createAuthStore } from '../../src/createAuthStore'
import { headlessEnv } from '../../src/env/browser'
import { InvalidResponseError } from '../../src/errors/InvalidResponseError'
import { axiosTransport } from '../../src/http/axiosTransport'
import { recordSignOuts } from '../utils/createTestStore'
import { tokenAt } from '../utils/jwt'
import { answer, setUpProbeServer } from '../utils/probeServer'

/** A real server that answers 200 with whatever a broken proxy or backend might send. */
const server = setUpProbeServer()

const HTML = '<!doctype html><html><body>Welcome to the app</body></html>'
/** [what, handler, the error kind in state]; a JWT that does not decode is the store's to find. */
const GARBAGE_200 = [
  ['an HTML page', answer(200, HTML, { 'content-type': 'text/html' }), 'invalid_response'],
  ['an empty body', answer(200, ''), 'invalid_response'],
  ['cut-off JSON', answer(200, '{"access_token":'), 'invalid_response'],
  ['a JSON array', answer(200, '[]'), 'invalid_response'],
  ['a number access_token', answer(200, '{"access_token":42}'), 'invalid_response'],
  [
    'a string expires_in',
    answer(200, `{"access_token":"${tokenAt(0)}","expires_in":"3600"}`),
    'invalid_response',
  ],
  [
    'a number refresh_token',
    answer(200, `{"access_token":"${tokenAt(0)}","refresh_token":7}`),
    'invalid_response',
  ],
  ['an access_token that is not a JWT', answer(200, '{"access_token":"hello"}'), 'invalid_token'],
] as const

async function signedInStore() {
  const transport = axiosTransport(axios.create({ baseURL: server.url }), {
    refreshUrl: '/auth/refresh',
    validateUrl: '/auth/validate',
  })
  const store = createAuthStore({
    transport,
    storage: null,
    devtools: false,
    env: headlessEnv,
    autoStart: false,
  })
  await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r1' })
  return { store, transport, signOuts: recordSignOuts(store) }
}

describe('a 200 with garbage from the refresh endpoint', () => {
  it.each(GARBAGE_200)('%s: a typed error, degraded, still signed in', async (_, handler, kind) => {
    server.setHandler(handler)
    const { store, transport, signOuts } = await signedInStore()
    const before = store.getState()

    if (kind === 'invalid_response') {
      await expect(transport.refresh({ accessToken: 'a' })).rejects.toBeInstanceOf(
        InvalidResponseError,
      )
    }
    expect(await store.getState().refresh()).toBe(false)

    const after = store.getState()
    expect(after.status).toBe('degraded')
    expect(after.error?.kind).toBe(kind)
    expect(after).toMatchObject({
      token: before.token,
      refreshToken: 'r1',
      expiresAt: before.expiresAt,
    })
    expect(signOuts).toEqual([])
    store.dispose()
  })

  it('recovers at the next good answer', async () => {
    server.setHandler(answer(200, HTML, { 'content-type': 'text/html' }))
    const { store } = await signedInStore()
    await store.getState().refresh()
    expect(store.getState().status).toBe('degraded')

    const fresh = tokenAt(Date.now())
    server.setHandler(answer(200, JSON.stringify({ access_token: fresh, expires_in: 3600 })))
    expect(await store.getState().refresh()).toBe(true)
    expect(store.getState()).toMatchObject({ status: 'authenticated', error: null, token: fresh })
    store.dispose()
  })
})

describe('a 200 with an HTML page from the validate endpoint', () => {
  it('is not taken as proof: InvalidResponseError, degraded, still signed in', async () => {
    server.setHandler(answer(200, HTML, { 'content-type': 'text/html; charset=utf-8' }))
    const { store, signOuts } = await signedInStore()
    await store.scheduler.tickNow()
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /auth/validate'])
    expect(store.getState()).toMatchObject({
      status: 'degraded',
      error: {
        kind: 'invalid_response',
        message: 'GET /auth/validate answered 200 with an HTML page, not the API',
      },
    })
    expect(signOuts).toEqual([])
    store.dispose()
  })
})
