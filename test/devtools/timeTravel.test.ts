import { describe, expect, it, vi } from 'vitest'
import { REDACTED, REDACTED_JWT } from '../../src/devtools/redact'
import { restoreSession } from '../../src/devtools/restoreSession'
import { createTestStore } from '../utils/createTestStore'
import { setUpFakeDevtoolsExtension } from '../utils/fakeDevtoolsExtension'
import { tokenAt } from '../utils/jwt'

const MINUTE = 60_000
const devtools = setUpFakeDevtoolsExtension({ fakeTimersFrom: new Date('2026-01-01T09:00:00Z') })

const jumpTo = (state: unknown) =>
  devtools.dispatchFromMonitor({
    type: 'DISPATCH',
    payload: { type: 'JUMP_TO_STATE' },
    state: JSON.stringify(state),
  })

/** What Redux DevTools sends when a saved history is imported: every entry, the last applied. */
const importOf = (computedStates: unknown[]) => ({
  type: 'DISPATCH',
  payload: { type: 'IMPORT_STATE', nextLiftedState: { computedStates } },
})
const importHistory = (...states: unknown[]) =>
  devtools.dispatchFromMonitor(importOf(states.map((state) => ({ state }))))

describe('restoreSession', () => {
  const live = {
    token: 'live-token',
    refreshToken: 'live-refresh',
    expiresAt: 2_000,
    status: 'authenticated',
    signOutReason: null,
  }

  it('a signed-in state keeps the live credentials and travels the rest', () => {
    const past = {
      token: REDACTED_JWT,
      refreshToken: REDACTED,
      expiresAt: 1_000,
      status: 'degraded',
      signOutReason: null,
      lastActivityAt: 5,
    }
    expect(restoreSession(past, live)).toEqual({ ...live, status: 'degraded', lastActivityAt: 5 })
  })

  it('a signed-in state while signed out keeps the whole live session', () => {
    const signedOut = { ...live, token: null, refreshToken: null, expiresAt: null }
    const past = { token: REDACTED_JWT, expiresAt: 1_000, status: 'refreshing', lastActivityAt: 5 }
    expect(
      restoreSession(past, { ...signedOut, status: 'signedOut', signOutReason: 'user' }),
    ).toEqual({
      ...signedOut,
      status: 'signedOut',
      signOutReason: 'user',
      lastActivityAt: 5,
    })
  })

  it('a signed-out state while signed in keeps the live session: time travel signs no one out', () => {
    const past = { token: null, expiresAt: null, status: 'signedOut', error: { kind: 'network' } }
    expect(restoreSession(past, live)).toEqual({ ...live, error: { kind: 'network' } })
  })

  it('a placeholder under any other key becomes the live value', () => {
    expect(restoreSession({ accessToken: REDACTED }, { accessToken: 'a' })).toEqual({
      accessToken: 'a',
    })
  })

  it('a token typed in the monitor (no placeholder) is applied as given', () => {
    const typed = { token: 'typed', expiresAt: 1, status: 'authenticated' }
    expect(restoreSession(typed, { ...live, token: null })).toEqual(typed)
  })

  it('leaves its input untouched', () => {
    const past = { token: REDACTED_JWT, expiresAt: 1 }
    restoreSession(past, live)
    expect(past).toEqual({ token: REDACTED_JWT, expiresAt: 1 })
  })
})

describe('time travel and import from the monitor', () => {
  it('travelling back to a signed-in state after a sign-out keeps the store signed out', async () => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    const signedIn = devtools.sent.at(-1)?.state
    await store.getState().logout()
    jumpTo({ ...signedIn, status: 'degraded' })
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      signOutReason: 'user',
      token: null,
      expiresAt: null,
    })
  })

  it('travelling back within a session keeps the live token and its expiry', async () => {
    const { store } = createTestStore({ devtools: true })
    await store
      .getState()
      .login({ accessToken: tokenAt(Date.now()), expiresAt: Date.now() + MINUTE })
    const early = devtools.sent.at(-1)?.state
    vi.setSystemTime(Date.now() + 10 * MINUTE)
    await store.getState().refresh()
    const { token, expiresAt } = store.getState()
    jumpTo({ ...early, status: 'degraded' })
    expect(store.getState()).toMatchObject({ token, expiresAt, status: 'degraded' })
  })

  it('travelling to the signed-out start keeps the session: time travel signs no one out', async () => {
    const { store } = createTestStore({ devtools: true })
    const signedOut = devtools.inits.at(-1)
    await store.getState().login(tokenAt(Date.now()))
    const { token, expiresAt } = store.getState()
    jumpTo(signedOut)
    expect(store.getState()).toMatchObject({ status: 'authenticated', token, expiresAt })
  })

  it('an import applies its last state with the live secrets, and sends the monitor only redacted ones', async () => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login({ accessToken: tokenAt(Date.now()), refreshToken: 'r-secret' })
    const { token } = store.getState()
    const signedIn = devtools.sent.at(-1)?.state
    importHistory(devtools.inits.at(-1), { ...signedIn, status: 'degraded' })
    expect(store.getState()).toMatchObject({
      token,
      refreshToken: 'r-secret',
      status: 'degraded',
    })
    expect(devtools.transcript()).not.toContain(token)
    expect(devtools.transcript()).not.toContain('r-secret')
  })

  it('an import of a signed-in history into a signed-out store keeps it signed out', async () => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    const signedIn = devtools.sent.at(-1)?.state
    await store.getState().logout()
    importHistory(signedIn)
    expect(store.getState()).toMatchObject({ status: 'signedOut', token: null })
  })

  it.each([
    ['the monitor starting', { type: 'START' }],
    ['a paused recording', { type: 'DISPATCH', payload: { type: 'PAUSE_RECORDING' } }],
    ['an import whose history holds no state', importOf([{ state: undefined }])],
    [
      'an import whose entries, or their states, are not objects',
      importOf([null, { state: 'not an object' }, { state: null }]),
    ],
  ])('%s changes nothing and throws nothing', async (_, message) => {
    const { store } = createTestStore({ devtools: true })
    await store.getState().login(tokenAt(Date.now()))
    const before = store.getState()
    expect(() => devtools.dispatchFromMonitor(message)).not.toThrow()
    expect(store.getState()).toBe(before)
  })
})
