// @vitest-environment node
import {
  type AxiosAdapter,
  AxiosError,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HttpError } from '../../src/errors/HttpError'
import { axiosTransport } from '../../src/http/axiosTransport'
import { createAuthClient } from '../../src/http/createAuthClient'
import { parseRetryAfter } from '../../src/http/retryAfter'
import { createTestStore } from '../utils/createTestStore'
import { createFakeTransport } from '../utils/fakeTransport'
import { tokenAt } from '../utils/jwt'
import { answer, type ProbeServer, startProbeServer } from '../utils/probeServer'

const API = 'https://api.example'

/** The API's answer to `config`, an empty body with `status`. */
const responseTo = (config: InternalAxiosRequestConfig, status: number): AxiosResponse => ({
  data: {},
  status,
  statusText: '',
  headers: {},
  config,
})

/** The API's 401 to `config`, as axios rejects with it. */
const unauthorized = (config: InternalAxiosRequestConfig) =>
  new AxiosError('401', 'ERR_BAD_REQUEST', config, null, responseTo(config, 401))

/** An adapter at the network boundary: records what would be sent, answers 200. */
function recordingAdapter() {
  const sent: InternalAxiosRequestConfig[] = []
  const adapter: AxiosAdapter = async (config) => {
    sent.push(config)
    return responseTo(config, 200)
  }
  return { adapter, sent, authorizationOf: (i: number) => sent[i]?.headers.get('Authorization') }
}

describe('createAuthClient: which URLs get the token', () => {
  it('only http(s) URLs of the own origin: not ws: or ftp: on the same host', async () => {
    const { store } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const network = recordingAdapter()
    const client = createAuthClient(store, { baseURL: API, adapter: network.adapter })
    await client.get('/api/me')
    await client.get('https://api.example/api/me')
    await client.get('http://api.example:443/api/me')
    for (const url of ['ws://api.example/jobs', 'ftp://api.example/x']) {
      await client.get(url)
    }
    expect(network.sent.map((_, i) => network.authorizationOf(i))).toEqual([
      `Bearer ${store.getState().token}`,
      `Bearer ${store.getState().token}`,
      undefined,
      undefined,
      undefined,
    ])
  })
})

describe('createAuthClient: a retry', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('that waited for a refresh which ended the session goes out without the first token', async () => {
    const fake = createFakeTransport()
    const { store } = createTestStore({ autoStart: false, fake })
    await store.getState().login(tokenAt(Date.now()))
    const first = store.getState().token
    // The API holds the first call until the test answers it 401; later calls get a 200.
    const authorizations: unknown[] = []
    let answer401: () => void = () => {}
    const adapter: AxiosAdapter = (config) => {
      authorizations.push(config.headers.get('Authorization'))
      if (authorizations.length > 1) return Promise.resolve(responseTo(config, 200))
      return new Promise((_, reject) => {
        answer401 = () => reject(unauthorized(config))
      })
    }
    const client = createAuthClient(store, { baseURL: API, adapter })
    const call = client.get('/data')
    await vi.advanceTimersByTimeAsync(0)

    await store.getState().refresh() // the call's token is now an old one: its 401 is retried
    fake.holdResponses(true)
    fake.next('refresh', 401)
    const ending = store.getState().refresh()
    answer401()
    await vi.advanceTimersByTimeAsync(0) // the retry waits for the refresh under way
    fake.holdResponses(false)
    await ending

    await expect(call).resolves.toMatchObject({ status: 200 })
    expect(store.getState().status).toBe('signedOut')
    expect(authorizations).toEqual([`Bearer ${first}`, undefined])
  })

  it.each([
    { when: 'made while the refresh of a 401 runs (it waits for it)', waits: true },
    { when: 'made after that refresh', waits: false },
  ])(
    'a call $when, refused with the new token, gets a refresh of its own and its retry',
    async ({ waits }) => {
      const fake = createFakeTransport()
      const { store } = createTestStore({ autoStart: false, fake })
      await store.getState().login(tokenAt(Date.now()))
      const firstToken = store.getState().token
      // The API refuses the first token and the first refreshed one (revoked early on the server).
      const sent: Array<[string | undefined, unknown]> = []
      const adapter: AxiosAdapter = async (config) => {
        const authorization = config.headers.get('Authorization')
        sent.push([config.url, authorization])
        const refused = [`Bearer ${firstToken}`, `Bearer ${fake.issued[0]}`]
        if (refused.includes(authorization as string)) throw unauthorized(config)
        return responseTo(config, 200)
      }
      const client = createAuthClient(store, { baseURL: API, adapter })

      fake.holdResponses(true)
      const one = client.get('/one')
      await vi.advanceTimersByTimeAsync(0)
      expect(store.getState().status).toBe('refreshing')
      const two = waits ? client.get('/two') : null
      await vi.advanceTimersByTimeAsync(0)
      fake.holdResponses(false)
      // Its retry carried the refused new token: a second 401 reaches the caller.
      await expect(one).rejects.toMatchObject({ response: { status: 401 } })
      const secondCall = two ?? client.get('/two')

      await expect(secondCall).resolves.toMatchObject({ status: 200 })
      expect(fake.transport.refresh).toHaveBeenCalledTimes(2)
      expect(sent.filter(([url]) => url === '/two').map(([, auth]) => auth)).toEqual([
        `Bearer ${fake.issued[0]}`,
        `Bearer ${fake.issued[1]}`,
      ])
    },
  )
})

describe('an axiosTransport built on a createAuthClient instance', () => {
  let server: ProbeServer
  beforeEach(async () => {
    server = await startProbeServer()
  })
  afterEach(async () => {
    await server.close()
  })

  it('is left alone by the client: its 401 reaches the store once, with no refresh and no retry', async () => {
    const { store, fake } = createTestStore()
    await store.getState().login(tokenAt(Date.now()))
    const client = createAuthClient(store, { baseURL: server.url })
    const transport = axiosTransport(client, {
      refreshUrl: '/auth/refresh',
      validateUrl: '/auth/validate',
    })
    server.setHandler(answer(401, '{"error":"invalid_token"}'))
    const session = { accessToken: tokenAt(Date.now()) }
    await expect(transport.validate?.(session)).rejects.toBeInstanceOf(HttpError)
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.authorization).toBe(`Bearer ${session.accessToken}`)
    expect(fake.transport.refresh).not.toHaveBeenCalled()
    // and its refresh request carries no access token (the client would add the store's)
    await expect(transport.refresh({ accessToken: 'old' })).rejects.toBeInstanceOf(HttpError)
    expect(server.requests[1]?.authorization).toBeUndefined()
  })
})

describe('parseRetryAfter: the HTTP-date forms', () => {
  const now = Date.parse('2026-01-01T12:00:00Z')
  it.each([
    ['IMF-fixdate', 'Thu, 01 Jan 2026 12:00:30 GMT'],
    ['RFC 850', 'Thursday, 01-Jan-26 12:00:30 GMT'],
    ['asctime', 'Thu Jan  1 12:00:30 2026'],
  ])('reads the %s form', (_, value) => {
    // asctime has no zone: it is read as local time, so compare against that.
    const expected = Date.parse(value) - now
    expect(parseRetryAfter(value, now)).toBe(Math.max(0, expected))
    expect(parseRetryAfter(value, now)).not.toBeUndefined()
  })
})
