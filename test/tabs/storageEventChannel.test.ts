import { describe, expect, it, vi } from 'vitest'
import type { TokenSet } from '../../src/types'
import { tokenAt } from '../utils/jwt'
import { BUS_KEY, KEY, NAME } from '../utils/sharedOrigin'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

const tabs = tabsOnFakeTimers()

type Origin = ReturnType<typeof tabs.openOrigin>

/** Two tabs of one origin: A (opened with `firstTab`) signs in, and the storage event has reached B. */
async function signInWithTwoTabs(
  firstTab: Parameters<Origin['openTab']>[0] = {},
  login: string | TokenSet = tokenAt(Date.now()),
) {
  const origin = tabs.openOrigin()
  const a = origin.openTab(firstTab)
  const b = origin.openTab()
  await a.store.getState().login(login)
  await vi.advanceTimersByTimeAsync(0)
  return { a, b }
}

describe('storage events: the channel of a browser without BroadcastChannel', () => {
  it('carries a login and a sign-out to the other tab', async () => {
    const { a, b } = await signInWithTwoTabs(
      {},
      { accessToken: tokenAt(Date.now()), refreshToken: 'r-a' },
    )
    expect(b.store.getState()).toMatchObject({
      status: 'authenticated',
      token: a.store.getState().token,
      refreshToken: 'r-a',
    })
    await a.store.getState().logout('idle')
    await vi.advanceTimersByTimeAsync(0)
    expect(b.store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })

  it('writes each message under "zustand-auth-session:<storageKey>:message", with a nonce', async () => {
    const origin = tabs.openOrigin()
    const a = origin.openTab()
    await a.store.getState().login(tokenAt(Date.now()))
    expect(JSON.parse(origin.items.get(BUS_KEY) as string)).toEqual({
      key: KEY,
      from: expect.any(String),
      sentAt: Date.now(),
      kind: 'session',
      token: a.store.getState().token,
      refreshToken: null,
      expiresAt: a.store.getState().expiresAt,
      nonce: expect.any(Number),
    })
  })

  it('ignores a valid-looking message written under any other key', async () => {
    const { b } = await signInWithTwoTabs()
    const signOut = { key: KEY, from: 'other-tab', sentAt: Date.now(), kind: 'signOut' }
    for (const key of [KEY, `${NAME}:lease`, 'another-app:message']) {
      b.browser.emit('storage', { key, newValue: JSON.stringify({ ...signOut, reason: 'idle' }) })
    }
    expect(b.store.getState().status).toBe('authenticated')
    b.browser.emit('storage', {
      key: BUS_KEY,
      newValue: JSON.stringify({ ...signOut, reason: 'idle' }),
    })
    expect(b.store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })

  it('ignores storage events without an event, with a removed key, or with torn JSON', async () => {
    const { b } = await signInWithTwoTabs()
    const before = b.store.getState()
    expect(() => {
      b.browser.emit('storage')
      b.browser.emit('storage', { key: BUS_KEY, newValue: null })
      b.browser.emit('storage', { key: BUS_KEY, newValue: '{"key":"auth-session","kind":"sig' })
    }).not.toThrow()
    expect(b.store.getState()).toBe(before)
  })

  it('a storage that refuses the message costs the other tab that message, nothing more', async () => {
    const { a, b } = await signInWithTwoTabs({ refuseKey: BUS_KEY })
    expect(a.store.getState().status).toBe('authenticated')
    expect(b.store.getState().status).toBe('signedOut')
  })

  it('dispose() stops listening to storage events', async () => {
    const { a, b } = await signInWithTwoTabs()
    b.store.dispose()
    expect(b.browser.listenerCount()).toBe(0)
    await a.store.getState().logout()
    await vi.advanceTimersByTimeAsync(0)
    expect(b.store.getState().status).toBe('authenticated')
  })

  it.each([
    { case: 'without crypto.randomUUID (an insecure context)', crypto: {} },
    { case: 'without crypto at all (Node 18: no global crypto)', crypto: undefined },
  ])('tabs tell each other apart $case', async ({ crypto }) => {
    vi.stubGlobal('crypto', crypto)
    const origin = tabs.openOrigin()
    let a: ReturnType<typeof origin.openTab>
    let b: ReturnType<typeof origin.openTab>
    try {
      a = origin.openTab()
      b = origin.openTab()
    } finally {
      vi.unstubAllGlobals()
    }
    await a.store.getState().login(tokenAt(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    expect(b.store.getState().token).toBe(a.store.getState().token)
  })
})
