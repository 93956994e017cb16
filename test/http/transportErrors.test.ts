import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios'
import { describe, expect, it } from 'vitest'
import { HttpError } from '../../src/errors/HttpError'
import { InvalidTokenError } from '../../src/errors/InvalidTokenError'
import { NetworkError } from '../../src/errors/NetworkError'
import { describeRequest, toTransportError } from '../../src/http/toTransportError'
import { tokenAt } from '../utils/jwt'

const NOW = Date.parse('2026-01-01T09:00:00Z')

const config = (method: string | undefined, url: string | undefined) =>
  ({ method, url, headers: new AxiosHeaders() }) as InternalAxiosRequestConfig

/** What axios rejects with when the server answered. */
function answered(
  status: number,
  {
    data,
    headers = {},
    url = '/auth/refresh',
  }: { data?: unknown; headers?: Record<string, string>; url?: string } = {},
) {
  const request = config('post', url)
  return new AxiosError('Request failed', 'ERR_BAD_RESPONSE', request, undefined, {
    status,
    statusText: '',
    data,
    headers: new AxiosHeaders(headers),
    config: request,
  })
}

/** What axios rejects with when nothing came back. */
const unanswered = (code: string | undefined, message: string) =>
  new AxiosError(message, code, config('get', '/auth/validate'))

describe('toTransportError: what the store and the app get instead of an AxiosError', () => {
  it('an answer is an HttpError naming the request, the status and the server’s error code', () => {
    const error = toTransportError(answered(400, { data: { error: 'invalid_grant' } }), NOW)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({
      status: 400,
      message: 'POST /auth/refresh answered 400 (invalid_grant)',
    })
  })

  it('a body without a short string code adds nothing to the message', () => {
    for (const data of ['<html>', null, { error: 42 }, ['invalid_grant']]) {
      expect((toTransportError(answered(500, { data }), NOW) as Error).message).toBe(
        'POST /auth/refresh answered 500',
      )
    }
  })

  it('cuts a long server code at 80 characters and a long message at 300', () => {
    const code = 'x'.repeat(200)
    const withCode = toTransportError(answered(400, { data: { error: code } }), NOW) as Error
    expect(withCode.message).toBe(`POST /auth/refresh answered 400 (${'x'.repeat(80)})`)
    const longPath = `/${'p'.repeat(400)}`
    const withPath = toTransportError(answered(500, { url: longPath }), NOW) as Error
    expect(withPath.message).toHaveLength(300)
    expect(withPath.message.startsWith(`POST ${longPath.slice(0, 200)}`)).toBe(true)
  })

  it('never lets a token through, in the server code or the URL', () => {
    const token = tokenAt(NOW)
    const error = toTransportError(
      answered(401, { data: { error: token }, url: `/auth/refresh/${token}` }),
      NOW,
    ) as Error
    expect(error.message).not.toContain(token)
    expect(error).not.toHaveProperty('cause', expect.anything())
  })

  it.each([429, 503])('reads Retry-After on a %i', (status) => {
    const error = toTransportError(answered(status, { headers: { 'Retry-After': '7' } }), NOW)
    expect(error).toMatchObject({ status, retryAfterMs: 7_000 })
  })

  it('ignores Retry-After on other statuses', () => {
    const error = toTransportError(answered(500, { headers: { 'Retry-After': '7' } }), NOW)
    expect(error).toMatchObject({ status: 500, retryAfterMs: undefined })
  })

  it('measures a Retry-After date against the response’s Date header', () => {
    const error = toTransportError(
      answered(503, {
        headers: {
          'Retry-After': 'Thu, 01 Jan 2026 12:00:30 GMT',
          Date: 'Thu, 01 Jan 2026 12:00:00 GMT',
        },
      }),
      NOW,
    )
    expect(error).toMatchObject({ retryAfterMs: 30_000 })
  })

  it.each([
    // The transport sets clarifyTimeoutError, so ECONNABORTED is an abort, not a timeout.
    ['ECONNABORTED', 'network'],
    ['ETIMEDOUT', 'timeout'],
    ['ECONNREFUSED', 'network'],
  ])('no answer (%s) is a NetworkError of kind %s', (code, kind) => {
    const error = toTransportError(unanswered(code, `connect ${code}`), NOW)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({
      code: kind,
      message: `GET /auth/validate got no answer: connect ${code}`,
    })
  })

  it('says why there was no answer with the code, or "no response", when axios gives no message', () => {
    expect((toTransportError(unanswered('ERR_NETWORK', ''), NOW) as Error).message).toBe(
      'GET /auth/validate got no answer: ERR_NETWORK',
    )
    expect((toTransportError(unanswered(undefined, ''), NOW) as Error).message).toBe(
      'GET /auth/validate got no answer: no response',
    )
  })

  it('passes our own errors and anything that is not from axios through unchanged', () => {
    const ours = new InvalidTokenError('bad')
    const other = new Error('boom')
    expect(toTransportError(ours, NOW)).toBe(ours)
    expect(toTransportError(other, NOW)).toBe(other)
    expect(toTransportError('text', NOW)).toBe('text')
  })
})

describe('describeRequest', () => {
  it('keeps the method and path, drops query, fragment and user info', () => {
    expect(describeRequest(config('post', 'https://user:secret@api.example/auth?code=1#x'))).toBe(
      'POST https://api.example/auth',
    )
    expect(describeRequest(config('delete', '/auth/session#frag'))).toBe('DELETE /auth/session')
    expect(describeRequest(config('put', '/a?b=\nc'))).toBe('PUT /a')
  })

  it('keeps the path as it is, a URL-like part with an @ included: only the URL’s own user info goes', () => {
    expect(describeRequest(config('get', '/links/https://bob@example.com/profile'))).toBe(
      'GET /links/https://bob@example.com/profile',
    )
  })

  it('defaults to GET and an empty URL', () => {
    expect(describeRequest(config(undefined, undefined))).toBe('GET ')
    expect(describeRequest(undefined)).toBe('GET ')
  })
})
