import { describe, expect, it } from 'vitest'
import {
  AuthError,
  HttpError,
  InvalidResponseError,
  InvalidTokenError,
  isAuthError,
  isHttpError,
  isInvalidResponseError,
  isInvalidTokenError,
  isNetworkError,
  isSessionEndedError,
  isUnauthorized,
  NetworkError,
  SessionEndedError,
  StorageError,
  statusOf,
  toErrorState,
} from '../../src/errors/index'
import { tokenAt } from '../utils/jwt'

const cause = new Error('the underlying failure')

/** [class name, an instance, its code] for every error the library throws or records. */
const ERRORS = [
  ['AuthError', new AuthError('network', 'm', { cause }), 'network'],
  ['InvalidTokenError', new InvalidTokenError('m', { cause }), 'invalid_token'],
  ['InvalidResponseError', new InvalidResponseError('m', { cause }), 'invalid_response'],
  ['NetworkError', new NetworkError('m', { cause }), 'network'],
  ['HttpError', new HttpError(500, 'm', { cause }), 'http'],
  ['StorageError', new StorageError('m', { cause }), 'storage'],
  ['SessionEndedError', new SessionEndedError('unauthorized', { cause }), 'unauthorized'],
] as const

/** An error of ours as another copy of the package (or another realm) makes it: no shared class. */
const lookalike = (name: string, fields: Record<string, unknown> = { code: 'network' }) =>
  Object.assign(new Error('from another copy'), { name, ...fields })

class AppInvalidTokenError extends InvalidTokenError {}
class AppInvalidResponseError extends InvalidResponseError {}
class AppNetworkError extends NetworkError {}
class AppHttpError extends HttpError {}
class AppSessionEndedError extends SessionEndedError {}

const appNamed = <E extends Error>(error: E): E =>
  Object.defineProperty(error, 'name', { value: 'AppError' })

/** An app's own subclass of each error a guard checks, named its own way: only `instanceof` knows it. */
const APP_SUBCLASSES = {
  InvalidTokenError: appNamed(new AppInvalidTokenError('m')),
  InvalidResponseError: appNamed(new AppInvalidResponseError('m')),
  NetworkError: appNamed(new AppNetworkError('m')),
  HttpError: appNamed(new AppHttpError(500, 'm')),
  SessionEndedError: appNamed(new AppSessionEndedError(null)),
}

describe('error classes', () => {
  it.each(ERRORS)('%s: its name, code, message and cause', (name, error, code) => {
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(AuthError)
    expect(error.name).toBe(name)
    expect(error.code).toBe(code)
    expect(error.cause).toBe(cause)
    expect(String(error)).toBe(`${name}: ${error.message}`)
  })

  it('HttpError: a 401 is "unauthorized", any other status "http"; Retry-After is kept', () => {
    expect(new HttpError(401, 'no')).toMatchObject({ code: 'unauthorized', status: 401 })
    expect(new HttpError(403, 'no')).toMatchObject({ code: 'http', status: 403 })
    expect(new HttpError(503, 'busy', { retryAfterMs: 30_000 }).retryAfterMs).toBe(30_000)
    expect(new HttpError(503, 'busy').retryAfterMs).toBeUndefined()
  })

  it('NetworkError: "timeout" only with the timeout flag', () => {
    expect(new NetworkError('slow', { timeout: true }).code).toBe('timeout')
    expect(new NetworkError('down', { timeout: false }).code).toBe('network')
    expect(new NetworkError('down').code).toBe('network')
  })

  it('SessionEndedError: a 401 that says why, when it knows', () => {
    const expired = new SessionEndedError('expired')
    expect(expired).toMatchObject({
      code: 'unauthorized',
      status: 401,
      reason: 'expired',
      message: 'The session has ended (expired): sign in again',
    })
    expect(isUnauthorized(expired)).toBe(true)
    const unknown = new SessionEndedError(null)
    expect(unknown).toMatchObject({
      reason: null,
      message: 'The session has ended: sign in again',
    })
    expect(unknown.cause).toBeUndefined()
  })
})

describe('guards', () => {
  const guards = {
    InvalidTokenError: isInvalidTokenError,
    InvalidResponseError: isInvalidResponseError,
    NetworkError: isNetworkError,
    HttpError: isHttpError,
    SessionEndedError: isSessionEndedError,
  }

  it.each(Object.entries(guards))('is%s holds for its class only', (name, guard) => {
    for (const [other, error] of ERRORS) expect(guard(error), other).toBe(other === name)
  })

  it.each(Object.entries(guards))('is%s holds for a lookalike from another copy', (name, guard) => {
    expect(guard(lookalike(name))).toBe(true)
    expect(guard({ name })).toBe(true)
    expect(guard(lookalike(`${name}s`))).toBe(false)
  })

  it.each(Object.entries(guards))('is%s holds for nothing else', (name, guard) => {
    for (const value of [null, undefined, name, 0, new Error(name), { message: name }]) {
      expect(guard(value), String(value)).toBe(false)
    }
    // The class itself is named so, but it is not an error.
    const theClass = ERRORS.find(([other]) => other === name)?.[1].constructor
    expect(guard(theClass)).toBe(false)
  })

  it.each(Object.entries(guards))(
    'is%s holds for a subclass the app names itself',
    (name, guard) => {
      const error = APP_SUBCLASSES[name as keyof typeof APP_SUBCLASSES]
      expect(error.name).toBe('AppError')
      expect(guard(error)).toBe(true)
      expect(isAuthError(error)).toBe(true)
    },
  )

  it.each(ERRORS.map(([name]) => name))(
    'isAuthError holds for a %s from another copy, which has a code',
    (name) => {
      expect(isAuthError(lookalike(name))).toBe(true)
      expect(isAuthError(lookalike(name, {}))).toBe(false)
    },
  )

  it('isAuthError holds for our errors and nothing else', () => {
    for (const [name, error] of ERRORS) expect(isAuthError(error), name).toBe(true)
    for (const value of [
      lookalike('TypeError'),
      lookalike('Error'),
      { name: 'NetworkError', code: 'network', message: 'not an Error' },
      new Error('plain'),
      null,
      undefined,
      'NetworkError',
    ]) {
      expect(isAuthError(value), JSON.stringify(value)).toBe(false)
    }
  })

  it.each([
    ['ours', new HttpError(502, 'bad gateway'), 502],
    ['a SessionEndedError', new SessionEndedError('unauthorized'), 401],
    ['a fetch Response', { status: 404, ok: false }, 404],
    ['an AxiosError', { message: 'x', response: { status: 429 } }, 429],
    ['a status of its own before the response’s', { status: 500, response: { status: 401 } }, 500],
    [
      'a status that is not a number: the response’s',
      { status: '401', response: { status: 403 } },
      403,
    ],
    ['nothing numeric', { status: '401', response: { status: '401' } }, undefined],
    ['no response', { response: undefined }, undefined],
    ['an empty object', {}, undefined],
    ['a NetworkError', new NetworkError('down'), undefined],
    ['null', null, undefined],
    ['undefined', undefined, undefined],
    ['a number', 401, undefined],
    ['a function with a status', Object.assign(() => {}, { status: 401 }), undefined],
  ])('statusOf %s: %s', (_, error, status) => {
    expect(statusOf(error)).toBe(status)
    expect(isUnauthorized(error)).toBe(status === 401)
  })
})

describe('toErrorState: what state keeps of an error', () => {
  it.each([
    ['an InvalidTokenError', new InvalidTokenError('bad token'), { kind: 'invalid_token' }],
    ['a NetworkError', new NetworkError('down'), { kind: 'network' }],
    ['a timeout', new NetworkError('slow', { timeout: true }), { kind: 'timeout' }],
    ['a StorageError', new StorageError('full'), { kind: 'storage' }],
    ['an HttpError', new HttpError(500, 'oops'), { kind: 'http', status: 500 }],
    ['a 401', new HttpError(401, 'no'), { kind: 'unauthorized', status: 401 }],
    [
      'an HttpError with Retry-After',
      new HttpError(503, 'busy', { retryAfterMs: 30_000 }),
      { kind: 'http', status: 503, retryAfterMs: 30_000 },
    ],
    [
      'a Retry-After of 0',
      new HttpError(429, 'now', { retryAfterMs: 0 }),
      { kind: 'http', status: 429, retryAfterMs: 0 },
    ],
    [
      'a Retry-After that is not finite',
      new HttpError(503, 'busy', { retryAfterMs: Number.POSITIVE_INFINITY }),
      { kind: 'http', status: 503 },
    ],
    [
      'a Retry-After that is NaN',
      new HttpError(503, 'busy', { retryAfterMs: Number.NaN }),
      { kind: 'http', status: 503 },
    ],
    [
      'a SessionEndedError',
      new SessionEndedError('unauthorized'),
      { kind: 'unauthorized', status: 401 },
    ],
    [
      'an HttpError from another copy',
      lookalike('HttpError', { code: 'http', status: 502, retryAfterMs: 5_000 }),
      { kind: 'http', status: 502, retryAfterMs: 5_000 },
    ],
  ])('%s', (_, error, expected) => {
    expect(toErrorState(error)).toStrictEqual({ message: (error as Error).message, ...expected })
  })

  it.each([
    ['an axios 401', { message: 'Request failed', response: { status: 401 } }, 'unauthorized', 401],
    ['an axios 500', { message: 'Request failed', response: { status: 500 } }, 'http', 500],
    ['a fetch Response', { status: 404 }, 'http', 404],
  ])('%s: its kind from the status', (_, error, kind, status) => {
    expect(toErrorState(error)).toStrictEqual({ kind, status, message: 'Unknown error' })
  })

  it.each([
    ['an Error: its message', new TypeError('x is undefined'), 'x is undefined'],
    ['an Error without a message: its name', new TypeError(''), 'TypeError'],
    ['a string: itself', 'the server said no', 'the server said no'],
    ['an object', { reason: 'no' }, 'Unknown error'],
    ['null', null, 'Unknown error'],
  ])('anything else is "unknown", the message from %s', (_, error, message) => {
    expect(toErrorState(error)).toStrictEqual({ kind: 'unknown', message })
  })

  it('cuts a message to 300 characters', () => {
    expect(toErrorState(new Error('x'.repeat(300))).message).toBe('x'.repeat(300))
    expect(toErrorState(new Error('y'.repeat(301))).message).toBe('y'.repeat(300))
  })

  it('redacts every JWT, even one that the cut would have split', () => {
    const token = tokenAt(Date.parse('2026-01-01T09:00:00Z'))
    expect(toErrorState(new NetworkError(`sent ${token} and ${token} back`)).message).toBe(
      'sent eyJ…(redacted) and eyJ…(redacted) back',
    )
    const cutAcross = toErrorState(new Error(`${'x'.repeat(280)} ${token}`)).message
    expect(cutAcross).toBe(`${'x'.repeat(280)} eyJ…(redacted)`)
  })

  it.each([
    ['base64url segments with - and _', 'a eyJa-b_c.eyJd-e_f.g-h_i z', 'a eyJ…(redacted) z'],
    ['empty segments', 'eyJ..', 'eyJ…(redacted)'],
    ['a token ending the text', 'Bearer eyJhbGci.eyJzdWIi.c2ln', 'Bearer eyJ…(redacted)'],
    ['no dots: not a JWT', 'eyJabc def ghi', 'eyJabc def ghi'],
    ['one dot: not a JWT', 'eyJabc.def', 'eyJabc.def'],
    ['spaces around the dots: not a JWT', 'eyJa . b . c', 'eyJa . b . c'],
  ])('redaction: %s', (_, message, redacted) => {
    expect(toErrorState(message).message).toBe(redacted)
  })
})
