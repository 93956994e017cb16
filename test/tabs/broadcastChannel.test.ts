import { describe, expect, it, vi } from 'vitest'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createChannelBus } from '../utils/fakeChannelBus'
import { tokenAt } from '../utils/jwt'
import { expiresAtOf, KEY, storedSession } from '../utils/sharedOrigin'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

const tabs = tabsOnFakeTimers()

describe('BroadcastChannel: what a tab tells the others', () => {
  it('opens the channel "zustand-auth-session:<storageKey>" and closes it on dispose()', () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel, storageKey: 'my-app' })
    expect(bus.names).toEqual(['zustand-auth-session:my-app'])
    store.dispose()
    expect(bus.closed()).toBe(1)
  })

  it('posts each new token as a session message, with its key, sender and time', async () => {
    const bus = createChannelBus()
    const { store, fake } = await tabs.openSignedInTab({
      BroadcastChannel: bus.Channel,
      refreshToken: 'r-0',
    })
    vi.setSystemTime(Date.now() + MINUTE)
    await store.getState().refresh()
    const sessions = bus.posted.filter((message) => message.kind === 'session')
    expect(sessions).toEqual([
      expect.objectContaining({ key: KEY, sentAt: Date.now() - MINUTE, refreshToken: 'r-0' }),
      {
        key: KEY,
        from: sessions[0]?.from,
        sentAt: Date.now(),
        kind: 'session',
        token: fake.issued[0],
        refreshToken: 'r-1',
        expiresAt: expiresAtOf(store),
      },
    ])
    expect(sessions[0]?.from).toEqual(expect.any(String))
  })

  it('posts activity once it is written, and a validation by this tab', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    store.getState().recordActivity()
    expect(bus.posted.at(-1)).toMatchObject({ kind: 'activity', at: Date.now() })
    await store.getState().validate()
    expect(bus.posted.at(-1)).toMatchObject({ kind: 'validated', at: Date.now() })
  })

  it('posts nothing for a change that is not a token, a sign-out or activity', async () => {
    const bus = createChannelBus()
    const { store, fake } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    const count = bus.posted.length
    fake.next('validate', 503)
    await store.getState().validate()
    expect(store.getState().status).toBe('degraded')
    expect(bus.posted).toHaveLength(count)
  })

  it('posts nothing for its own changes while signed out', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    await store.getState().logout()
    const count = bus.posted.length
    vi.setSystemTime(Date.now() + MINUTE)
    store.setState({ error: null }) // the app dismisses a message it showed
    expect(bus.posted).toHaveLength(count)
  })

  it('posts a sign-out with its reason', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    await vi.advanceTimersByTimeAsync(HOUR)
    expect(store.getState().signOutReason).toBe('idle')
    expect(bus.posted.at(-1)).toMatchObject({ kind: 'signOut', reason: 'idle', sentAt: Date.now() })
  })

  it('does not echo what it applied from another tab, but still posts its own changes after', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    const token = tokenAt(Date.now())
    bus.inject({ kind: 'session', token, refreshToken: null, expiresAt: Date.now() + HOUR })
    expect(store.getState()).toMatchObject({ status: 'authenticated', token })
    expect(bus.posted).toEqual([])
    await store.getState().logout()
    expect(bus.kinds()).toEqual(['signOut'])
  })

  it('posts nothing after dispose()', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    const count = bus.posted.length
    store.dispose()
    await store.getState().validate()
    await store.getState().logout()
    expect(bus.posted).toHaveLength(count)
  })
})

describe('BroadcastChannel: what a tab takes from the others', () => {
  it('ignores a message for another storage key, or its own coming back', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    const own = bus.posted[0]?.from
    const before = store.getState()
    expect(() => {
      bus.inject({ key: 'another-app', kind: 'signOut', reason: 'idle' })
      bus.inject({ from: own, kind: 'signOut', reason: 'idle' })
    }).not.toThrow()
    expect(store.getState()).toBe(before)
  })

  it('a session sent before this tab signed out does not sign it back in; one sent after does', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    await store.getState().logout()
    const session = { kind: 'session', refreshToken: null, expiresAt: Date.now() + HOUR }
    bus.inject({ ...session, token: tokenAt(Date.now()), sentAt: Date.now() })
    expect(store.getState().status).toBe('signedOut')
    const later = tokenAt(Date.now())
    bus.inject({ ...session, token: later, sentAt: Date.now() + 1 })
    expect(store.getState()).toMatchObject({ status: 'authenticated', token: later })
  })

  it('a session sent after this tab signed out is taken, even if the tab changed since', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    await store.getState().logout()
    vi.setSystemTime(Date.now() + 1_000)
    const sentAt = Date.now() // another tab signs in; its message is on the way
    vi.setSystemTime(Date.now() + 1_000)
    store.setState({ error: null }) // the app dismisses a message it showed
    const token = tokenAt(Date.now())
    bus.inject({ kind: 'session', token, refreshToken: null, expiresAt: Date.now() + HOUR, sentAt })
    expect(store.getState()).toMatchObject({ status: 'authenticated', token })
  })

  it('signed in again, a newer session is taken whenever it was sent', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    const signedOutAt = Date.now()
    await store.getState().logout()
    vi.setSystemTime(Date.now() + MINUTE)
    await store.getState().login(tokenAt(Date.now()))
    const newer = tokenAt(Date.now())
    bus.inject({
      kind: 'session',
      token: newer,
      refreshToken: null,
      expiresAt: expiresAtOf(store) + 1,
      sentAt: signedOutAt - 1,
    })
    expect(store.getState().token).toBe(newer)
  })

  it('a sign-out sent before this tab’s session began is stale; one sent since signs it out', async () => {
    const bus = createChannelBus()
    const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    const startedAt = Date.now()
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    store.getState().recordActivity() // a later change does not move the session's start
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: startedAt - 1 })
    expect(store.getState().status).toBe('authenticated')
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: startedAt })
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
  })

  it('a session begins at its sign-in, not when the tab opened: a sign-out sent between is stale', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    const openedAt = Date.now()
    vi.setSystemTime(openedAt + MINUTE)
    await store.getState().login(tokenAt(Date.now()))
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: openedAt + 1 })
    expect(store.getState().status).toBe('authenticated')
  })

  it('a rehydrated session begins when the tab opens: an older sign-out is stale', () => {
    const bus = createChannelBus()
    const storage = memoryStorage()
    storage.setItem(
      KEY,
      storedSession({ token: tokenAt(Date.now()), expiresAt: Date.now() + HOUR }),
    )
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel, storage, autoStart: false })
    expect(store.getState().status).toBe('authenticated')
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: Date.now() - 1 })
    expect(store.getState().status).toBe('authenticated')
    bus.inject({ kind: 'signOut', reason: 'idle', sentAt: Date.now() })
    expect(store.getState().status).toBe('signedOut')
  })

  it('takes another tab’s activity while signed in, and ignores it while signed out', async () => {
    const bus = createChannelBus()
    const { store } = tabs.openTab({ BroadcastChannel: bus.Channel })
    const atStart = store.getState().lastActivityAt
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    bus.inject({ kind: 'activity', at: Date.now() })
    expect(store.getState().lastActivityAt).toBe(atStart)
    await store.getState().login(tokenAt(Date.now()))
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    bus.inject({ kind: 'activity', at: Date.now() })
    expect(store.getState().lastActivityAt).toBe(Date.now())
  })

  it('a validation by another tab since the last tick saves this tab its own', async () => {
    const bus = createChannelBus()
    const { fake } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    await vi.advanceTimersByTimeAsync(30_000)
    bus.inject({ kind: 'validated', at: Date.now() })
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fake.transport.validate).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(MINUTE) // nobody proved the session this time
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })

  it('a late report of an older validation does not undo a newer proof', async () => {
    const bus = createChannelBus()
    const { store, fake } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
    await vi.advanceTimersByTimeAsync(MINUTE)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(10_000)
    store.markSessionValid()
    bus.inject({ kind: 'validated', at: Date.now() - 20_000 })
    await vi.advanceTimersByTimeAsync(50_000)
    expect(fake.transport.validate).toHaveBeenCalledTimes(1)
  })
})
