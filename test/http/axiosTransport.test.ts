// @vitest-environment node
import { inspect } from 'node:util'
import axios, { isAxiosError } from 'axios'
import { describe, expect, it } from 'vitest'
import { isUnauthorized } from '../../src/errors/guards'
import { HttpError } from '../../src/errors/HttpError'
import { InvalidResponseError } from '../../src/errors/InvalidResponseError'
import { NetworkError } from '../../src/errors/NetworkError'
import { axiosTransport } from '../../src/http/axiosTransport'
import { tokenAt } from '../utils/jwt'
import { answer, setUpProbeServer } from '../utils/probeServer'

const server = setUpProbeServer()

const NOW = Date.parse('2026-01-01T09:00:00Z')
const URLS = {
  refreshUrl: '/auth/refresh',
  validateUrl: '/auth/validate',
  loginUrl: '/auth/login',
  logoutUrl: '/auth/logout',
}
const transportFor = (options: Partial<Parameters<typeof axiosTransport>[1]> = {}) =>
  axiosTransport(axios.create({ baseURL: server.url }), { ...URLS, now: () => NOW, ...options })

const access = tokenAt(NOW)
const tokenBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ access_token: access, refresh_token: 'r2', expires_in: 3600, ...extra })

describe('requests', () => {
  it('refresh posts the refresh token and reads the snake_case answer on the local clock', async () => {
    server.setHandler(answer(200, tokenBody()))
    const tokens = await transportFor().refresh({ accessToken: 'a1', refreshToken: 'r1' })
    expect(tokens).toEqual({ accessToken: access, refreshToken: 'r2', expiresAt: NOW + 3_600_000 })
    expect(server.requests).toMatchObject([
      {
        method: 'POST',
        url: '/auth/refresh',
        body: '{"refresh_token":"r1"}',
        authorization: undefined,
      },
    ])
  })

  it('refresh without a refresh token sends no body: the httpOnly cookie carries it', async () => {
    server.setHandler(answer(200, tokenBody({ refresh_token: undefined, expires_in: undefined })))
    expect(await transportFor().refresh({ accessToken: 'a1' })).toEqual({ accessToken: access })
    expect(server.requests[0]?.body).toBe('')
  })

  it('validate sends the access token', async () => {
    await transportFor().validate?.({ accessToken: 'a1' })
    expect(server.requests).toMatchObject([
      { method: 'GET', url: '/auth/validate', authorization: 'Bearer a1' },
    ])
  })

  it('login posts the credentials; logout the token and the refresh token', async () => {
    server.setHandler(answer(200, tokenBody()))
    const transport = transportFor()
    await transport.login?.({ username: 'demo', password: 'demo' })
    await transport.logout?.({ accessToken: 'a1', refreshToken: 'r1' })
    expect(server.requests).toMatchObject([
      { method: 'POST', url: '/auth/login', body: '{"username":"demo","password":"demo"}' },
      {
        method: 'POST',
        url: '/auth/logout',
        authorization: 'Bearer a1',
        body: '{"refresh_token":"r1"}',
      },
    ])
  })

  it('has only the methods whose URLs were given', () => {
    const transport = axiosTransport(axios.create(), { refreshUrl: '/r' })
    expect(Object.keys(transport)).toEqual(['refresh'])
  })

  it('map adapts to another server', async () => {
    server.setHandler(answer(200, JSON.stringify({ jwt: access, validUntil: NOW + 5_000 })))
    const transport = transportFor({
      map: {
        refreshBody: (session) => ({ token: session.refreshToken }),
        readTokenSet: (data) => {
          const body = data as { jwt: string; validUntil: number }
          return { accessToken: body.jwt, expiresAt: body.validUntil }
        },
      },
    })
    expect(await transport.refresh({ accessToken: 'a1', refreshToken: 'r1' })).toEqual({
      accessToken: access,
      expiresAt: NOW + 5_000,
    })
    expect(server.requests[0]?.body).toBe('{"token":"r1"}')
  })

  it("a map parser's own exception becomes an InvalidResponseError", async () => {
    server.setHandler(answer(200, '{}'))
    const transport = transportFor({
      map: {
        readTokenSet: (data) => ({ accessToken: (data as { a: { b: string } }).a.b }),
      },
    })
    await expect(transport.refresh({ accessToken: 'a1' })).rejects.toBeInstanceOf(
      InvalidResponseError,
    )
  })

  it('rejects bad options at once', () => {
    const instance = axios.create()
    expect(() => axiosTransport(instance, { refreshUrl: '' })).toThrow(/refreshUrl/)
    expect(() => axiosTransport(instance, { refreshUrl: '/r', timeoutMs: 0 })).toThrow(/timeoutMs/)
  })
})

describe('errors, translated at the edge', () => {
  it('401 is an HttpError the store treats as unauthorized', async () => {
    server.setHandler(answer(401, '{"error":"refresh_token_expired"}'))
    const error = await transportFor()
      .refresh({ accessToken: 'a1', refreshToken: 'r1' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({
      status: 401,
      code: 'unauthorized',
      message: 'POST /auth/refresh answered 401 (refresh_token_expired)',
    })
    expect(isUnauthorized(error)).toBe(true)
  })

  it.each([
    [503, { 'retry-after': '30' }, 30_000],
    [
      429,
      { 'retry-after': 'Thu, 01 Jan 2026 09:02:00 GMT', date: 'Thu, 01 Jan 2026 09:00:00 GMT' },
      120_000,
    ],
    [503, {}, undefined],
    // Retry-After on other statuses means nothing for a retry (RFC 9110 uses it with 3xx too)
    [500, { 'retry-after': '30' }, undefined],
  ])('%i with %o: retryAfterMs %s', async (status, headers, retryAfterMs) => {
    server.setHandler(answer(status, '{"error":"busy"}', headers))
    const error = await transportFor()
      .validate?.({ accessToken: 'a1' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status, code: 'http', retryAfterMs })
  })

  it('no answer (connection refused) is a NetworkError', async () => {
    const url = server.url
    await server.close()
    const transport = axiosTransport(axios.create({ baseURL: url }), URLS)
    const error = await transport.refresh({ accessToken: 'a1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ code: 'network' })
    expect((error as Error).message).toMatch(/^POST \/auth\/refresh got no answer: .*ECONNREFUSED/)
  })

  it('a hung server is a NetworkError with the timeout flag after timeoutMs', async () => {
    server.setHandler(() => {}) // never answers
    const instance = axios.create({ baseURL: server.url })
    // The instance's own interceptors (a retry helper, say) see a timeout, not the ECONNABORTED
    // that XHR also raises for a plain abort.
    const seen: unknown[] = []
    instance.interceptors.response.use(undefined, (error) => {
      seen.push(isAxiosError(error) && error.code)
      throw error
    })
    const error = await axiosTransport(instance, { ...URLS, now: () => NOW, timeoutMs: 25 })
      .refresh({ accessToken: 'a1' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ code: 'timeout' })
    expect(seen).toEqual(['ETIMEDOUT'])
  })

  it('a dropped connection is a NetworkError', async () => {
    server.setHandler((_request, res) => {
      res.socket?.destroy()
    })
    const error = await transportFor()
      .validate?.({ accessToken: 'a1' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'NetworkError', code: 'network' })
  })

  it('no token reaches a message, and the AxiosError (which holds them) is not kept', async () => {
    const secret = tokenAt(NOW)
    server.setHandler(answer(401, JSON.stringify({ error: `bad token ${secret}` })))
    const transport = transportFor()
    const refreshError = await transport
      .refresh({ accessToken: secret, refreshToken: 'refresh-secret' })
      .catch((e: unknown) => e)
    const validateError = await transport
      .validate?.({ accessToken: secret })
      .catch((e: unknown) => e)
    for (const error of [refreshError, validateError]) {
      expect((error as Error).message).toContain('eyJ…(redacted)')
      const everything = inspect(error, { depth: 10, showHidden: true })
      expect(everything).not.toContain(secret)
      expect(everything).not.toContain('refresh-secret')
    }
  })
})
