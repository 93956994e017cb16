// @vitest-environment node
import axios, { type AxiosAdapter } from 'axios'
import { describe, expect, it } from 'vitest'
import { InvalidResponseError } from '../../src/errors/InvalidResponseError'
import { NetworkError } from '../../src/errors/NetworkError'
import { axiosTransport } from '../../src/http/axiosTransport'
import { tokenAt } from '../utils/jwt'
import { answer, setUpProbeServer } from '../utils/probeServer'

const server = setUpProbeServer()

const NOW = Date.parse('2026-01-01T09:00:00Z')
const session = { accessToken: tokenAt(NOW), refreshToken: 'r1' }
const transportFor = (options: Partial<Parameters<typeof axiosTransport>[1]> = {}) =>
  axiosTransport(axios.create({ baseURL: server.url }), {
    refreshUrl: '/auth/refresh',
    validateUrl: '/auth/validate',
    now: () => NOW,
    ...options,
  })

describe('axiosTransport: arguments', () => {
  it('refuses something that is not an axios instance, with a TypeError that says so', () => {
    for (const notAxios of [undefined, null, {}, { request: 'no' }]) {
      expect(() => axiosTransport(notAxios as never, { refreshUrl: '/r' })).toThrow(
        new TypeError('[zustand-auth-session] axiosTransport needs an axios instance'),
      )
    }
  })

  it('refuses missing options or a refreshUrl that is not a non-empty string', () => {
    const instance = axios.create()
    for (const options of [undefined, {}, { refreshUrl: '' }, { refreshUrl: 42 }]) {
      expect(() => axiosTransport(instance, options as never)).toThrow(
        new TypeError('[zustand-auth-session] axiosTransport needs a `refreshUrl`'),
      )
    }
  })
})

describe('axiosTransport: validate', () => {
  it('sends GET with the bearer token to validateUrl', async () => {
    server.setHandler(answer(204, ''))
    await transportFor().validate?.(session)
    expect(server.requests).toMatchObject([
      { method: 'GET', url: '/auth/validate', authorization: `Bearer ${session.accessToken}` },
    ])
  })

  it('sends GET whatever the instance’s default method', async () => {
    server.setHandler(answer(204, ''))
    const transport = axiosTransport(axios.create({ baseURL: server.url, method: 'post' }), {
      refreshUrl: '/auth/refresh',
      validateUrl: '/auth/validate',
    })
    await transport.validate?.(session)
    expect(server.requests.map((r) => r.method)).toEqual(['GET'])
  })

  it.each([
    ['text/html', '{}'],
    ['TEXT/HTML; charset=utf-8', '{}'],
    ['  text/html', '{}'],
    ['application/json', '  <html>'],
  ])(
    'takes a 200 with content-type %j and body %j for an HTML page, not proof',
    async (type, body) => {
      server.setHandler(answer(200, body, { 'content-type': type }))
      await expect(transportFor().validate?.(session)).rejects.toThrow(InvalidResponseError)
    },
  )

  it.each([
    ['application/json', '{"ok":true}'],
    ['application/xhtml+xml', '{}'],
    ['application/json; profile="text/html"', '{}'],
    ['application/x-text/html', '{}'],
  ])('accepts a 200 with content-type %j', async (type, body) => {
    server.setHandler(answer(200, body, { 'content-type': type }))
    await expect(transportFor().validate?.(session)).resolves.toBeUndefined()
  })
})

describe('axiosTransport: token responses', () => {
  it('names the request when the mapping throws something of its own', async () => {
    server.setHandler(answer(200, '{}'))
    const transport = transportFor({
      map: {
        readTokenSet: () => {
          throw new Error('no token here')
        },
      },
    })
    await expect(transport.refresh(session)).rejects.toThrow(
      new InvalidResponseError('POST /auth/refresh: unreadable token response: no token here'),
    )
  })

  it('passes the mapping’s own typed errors through unchanged', async () => {
    server.setHandler(answer(200, '{}'))
    const ours = new NetworkError('the mapping says no')
    const transport = transportFor({
      map: {
        readTokenSet: () => {
          throw ours
        },
      },
    })
    await expect(transport.refresh(session)).rejects.toBe(ours)
  })
})

describe('axiosTransport: cookies', () => {
  /** An adapter at the network boundary: records each request's credentials mode, answers tokens. */
  function credentialsRecorder() {
    const modes: Array<[string, unknown]> = []
    const adapter: AxiosAdapter = async (config) => {
      modes.push([config.url ?? '', config.withCredentials])
      const data = { access_token: tokenAt(NOW), expires_in: 3600 }
      return { data, status: 200, statusText: 'OK', headers: {}, config }
    }
    return { instance: axios.create({ adapter }), modes }
  }
  const urls = { refreshUrl: '/r', validateUrl: '/v', loginUrl: '/in', logoutUrl: '/out' }

  async function everyRequest(transport: ReturnType<typeof axiosTransport>) {
    await transport.login?.({ username: 'demo', password: 'demo' })
    await transport.refresh(session)
    await transport.validate?.(session)
    await transport.logout?.(session)
  }

  it('go with login, refresh and logout by default (the httpOnly refresh cookie)', async () => {
    const { instance, modes } = credentialsRecorder()
    await everyRequest(axiosTransport(instance, urls))
    expect(modes).toEqual([
      ['/in', true],
      ['/r', true],
      ['/v', undefined],
      ['/out', true],
    ])
  })

  it('stay home with withCredentials: false', async () => {
    const { instance, modes } = credentialsRecorder()
    await everyRequest(axiosTransport(instance, { ...urls, withCredentials: false }))
    expect(modes.map(([, mode]) => mode)).toEqual([false, false, undefined, false])
  })
})
