import { describe, expect, it } from 'vitest'
import { parseTabMessage } from '../../src/tabs/messages'
import { makeJwt, tokenAt } from '../utils/jwt'

const KEY = 'auth-session'
const SELF = 'tab-self'
const base = { key: KEY, from: 'tab-other', sentAt: 1_000 }

describe('parseTabMessage', () => {
  it('reads each kind of message', () => {
    const token = tokenAt(Date.now())
    expect(
      parseTabMessage(
        { ...base, kind: 'session', token, refreshToken: null, expiresAt: 5 },
        KEY,
        SELF,
      ),
    ).toMatchObject({ kind: 'session', token })
    expect(parseTabMessage({ ...base, kind: 'signOut', reason: 'idle' }, KEY, SELF)).toMatchObject({
      reason: 'idle',
    })
    expect(parseTabMessage({ ...base, kind: 'activity', at: 7 }, KEY, SELF)).toMatchObject({
      at: 7,
    })
    expect(parseTabMessage({ ...base, kind: 'validated', at: 8 }, KEY, SELF)).toMatchObject({
      at: 8,
    })
  })

  it.each(['user', 'unauthorized', 'expired', 'idle'])('reads a sign-out for "%s"', (reason) => {
    expect(parseTabMessage({ ...base, kind: 'signOut', reason }, KEY, SELF)).toEqual({
      ...base,
      kind: 'signOut',
      reason,
    })
  })

  it.each([
    ['undefined (another script’s postMessage(undefined))', undefined],
    ['null', null],
    ['a string', 'hello'],
    ['another storage key', { ...base, key: 'other-app', kind: 'activity', at: 1 }],
    ['this tab’s own message', { ...base, from: SELF, kind: 'activity', at: 1 }],
    ['no sender', { key: KEY, sentAt: 1, kind: 'activity', at: 1 }],
    ['a non-numeric sentAt', { ...base, sentAt: '1', kind: 'activity', at: 1 }],
    ['an unknown kind', { ...base, kind: 'takeover' }],
    [
      'a session with a token that is not a JWT',
      { ...base, kind: 'session', token: 'x', refreshToken: null, expiresAt: 1 },
    ],
    [
      'a session with a token without exp',
      { ...base, kind: 'session', token: makeJwt({}), refreshToken: null, expiresAt: 1 },
    ],
    [
      'a session with a non-string refresh token',
      { ...base, kind: 'session', token: tokenAt(0), refreshToken: 5, expiresAt: 1 },
    ],
    [
      'a session with NaN expiry',
      { ...base, kind: 'session', token: tokenAt(0), refreshToken: null, expiresAt: Number.NaN },
    ],
    ['a sign-out with an unknown reason', { ...base, kind: 'signOut', reason: 'because' }],
    ['activity at Infinity', { ...base, kind: 'activity', at: Number.POSITIVE_INFINITY }],
  ])('ignores %s', (_, data) => {
    expect(parseTabMessage(data, KEY, SELF)).toBeNull()
  })
})
