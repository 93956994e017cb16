import { describe, expect, it } from 'vitest'
import { InvalidResponseError } from '../../src/errors/InvalidResponseError'
import {
  describeBody,
  readSnakeCaseTokenSet,
  snakeCaseMapping,
} from '../../src/http/snakeCaseMapping'

const receivedAt = Date.parse('2026-01-01T09:00:00Z')
const read = (data: unknown) => readSnakeCaseTokenSet(data, { receivedAt })
const failure = (data: unknown) => {
  try {
    read(data)
  } catch (error) {
    return error
  }
  throw new Error('expected the token response to be refused')
}

describe('reading a snake_case token response', () => {
  it('reads access_token, refresh_token and expires_in, with the expiry from the arrival time', () => {
    expect(read({ access_token: 'a', refresh_token: 'r', expires_in: 3600 })).toStrictEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: receivedAt + 3_600_000,
    })
  })

  it('leaves out what the server left out or sent as null', () => {
    expect(read({ access_token: 'a' })).toStrictEqual({ accessToken: 'a' })
    expect(read({ access_token: 'a', refresh_token: null, expires_in: null })).toStrictEqual({
      accessToken: 'a',
    })
  })

  it.each([
    ['a string', 'token', 'Expected a JSON token response, got text'],
    ['an HTML page', '<html>', 'Expected a JSON token response, got an HTML page'],
    ['null', null, 'Expected a JSON token response, got an empty body'],
    ['an array', [{ access_token: 'a' }], 'Expected a JSON token response, got an array'],
    ['a number', 42, 'Expected a JSON token response, got a number'],
    ['no access_token', {}, 'The token response has no `access_token` string'],
    [
      'an empty access_token',
      { access_token: '' },
      'The token response has no `access_token` string',
    ],
    [
      'a number access_token',
      { access_token: 7 },
      'The token response has no `access_token` string',
    ],
    [
      'a number refresh_token',
      { access_token: 'a', refresh_token: 7 },
      'The token response has a `refresh_token` that is not a string',
    ],
  ])('refuses %s with an InvalidResponseError saying what is wrong', (_, data, message) => {
    const error = failure(data)
    expect(error).toBeInstanceOf(InvalidResponseError)
    expect((error as Error).message).toBe(message)
  })

  it.each([
    ['a string', '3600'],
    ['zero', 0],
    ['a negative number', -1],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
  ])('refuses an expires_in that is %s', (_, expiresIn) => {
    const error = failure({ access_token: 'a', expires_in: expiresIn })
    expect(error).toBeInstanceOf(InvalidResponseError)
    expect((error as Error).message).toBe(
      'The token response has an `expires_in` that is not a positive number',
    )
  })

  it('takes the smallest positive lifetime', () => {
    expect(read({ access_token: 'a', expires_in: 0.001 })).toStrictEqual({
      accessToken: 'a',
      expiresAt: receivedAt + 1,
    })
  })
})

describe('describeBody: what came instead of JSON, never the body itself', () => {
  it.each([
    [undefined, 'an empty body'],
    [null, 'an empty body'],
    ['', 'an empty body'],
    ['<!doctype html>', 'an HTML page'],
    ['  \n<html>', 'an HTML page'],
    ['x<html>', 'text'],
    ['eyJ.secret.token', 'text'],
    [[], 'an array'],
    [{}, 'a object'],
    [true, 'a boolean'],
  ])('%j is %s', (data, description) => {
    expect(describeBody(data)).toBe(description)
  })
})

describe('the default request bodies', () => {
  it('send the refresh token when the session has one, and nothing when a cookie carries it', () => {
    const withToken = { accessToken: 'a', refreshToken: 'r' }
    expect(snakeCaseMapping.refreshBody(withToken)).toStrictEqual({ refresh_token: 'r' })
    expect(snakeCaseMapping.logoutBody(withToken)).toStrictEqual({ refresh_token: 'r' })
    expect(snakeCaseMapping.refreshBody({ accessToken: 'a' })).toBeUndefined()
  })

  it('log in with the credentials as given', () => {
    const credentials = { username: 'demo', password: 'demo' }
    expect(snakeCaseMapping.loginBody(credentials)).toBe(credentials)
  })
})
