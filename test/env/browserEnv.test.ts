import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthStore } from '../../src/createAuthStore'
import type { LockManagerLike } from '../../src/env/browser'
import { browserEnv, headlessEnv, onUserActivity } from '../../src/env/browser'
import { isProduction, warn } from '../../src/env/warn'
import { createTestStore } from '../utils/createTestStore'
import { createFakeEnv } from '../utils/fakeEnv'
import { tokenAt } from '../utils/jwt'

const MINUTE = 60_000
/** The events that mean a person is using the page, as the README promises them. */
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart']

const opened: AuthStore[] = []

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') })
})
afterEach(() => {
  for (const store of opened.splice(0)) store.dispose()
  document.body.replaceChildren()
  vi.useRealTimers()
  vi.unstubAllEnvs()
})

/**
 * Runs `run` as in a runtime without these globals at all (Node, SSR, a worker): not
 * `undefined` values but names that do not exist. Restored before anything else runs.
 */
function withoutGlobals<T>(names: string[], run: () => T): T {
  const saved = names.map(
    (name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const,
  )
  for (const name of names) delete (globalThis as Record<string, unknown>)[name]
  try {
    return run()
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
    }
  }
}

/** Overrides a getter of a DOM object for one test: deleting the own property restores it. */
function stubProperty(target: object, name: string, value: unknown): () => void {
  Object.defineProperty(target, name, { configurable: true, get: () => value })
  return () => {
    delete (target as Record<string, unknown>)[name]
  }
}

/** A store on the real (jsdom) browser environment, disposed after the test. */
function openPageStore(options: Parameters<typeof createTestStore>[0] = {}) {
  const tab = createTestStore({ env: {}, ...options })
  opened.push(tab.store)
  return tab
}

describe('headlessEnv', () => {
  it('is always visible and online, with no events, locks or other tabs', () => {
    expect(headlessEnv.visibility()).toBe('visible')
    expect(headlessEnv.online()).toBe(true)
    expect(headlessEnv.locks).toBeUndefined()
    expect(headlessEnv.BroadcastChannel).toBeUndefined()
    const listener = vi.fn()
    const stop = headlessEnv.addEventListener('focus', listener)
    expect(stop).toBeTypeOf('function')
    expect(() => stop()).not.toThrow()
    window.dispatchEvent(new Event('focus'))
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('browserEnv', () => {
  it('hears window events, capturing (scroll does not bubble) and passive, until cleanup', () => {
    const env = browserEnv()
    const seen: unknown[] = []
    const stop = env.addEventListener('scroll', (event) => {
      ;(event as Event).preventDefault()
      seen.push(event)
    })
    const list = document.createElement('div')
    document.body.append(list)
    const scroll = new Event('scroll', { cancelable: true })
    list.dispatchEvent(scroll)
    expect(seen).toEqual([scroll])
    expect(scroll.defaultPrevented).toBe(false)
    stop()
    list.dispatchEvent(new Event('scroll'))
    expect(seen).toHaveLength(1)
  })

  it('hears events fired at the window itself', () => {
    const env = browserEnv()
    const listener = vi.fn()
    const stop = env.addEventListener('focus', listener)
    window.dispatchEvent(new Event('focus'))
    stop()
    window.dispatchEvent(new Event('focus'))
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('hears visibilitychange, which fires at the document', () => {
    const env = browserEnv()
    const listener = vi.fn()
    const stop = env.addEventListener('visibilitychange', listener)
    document.dispatchEvent(new Event('visibilitychange'))
    stop()
    document.dispatchEvent(new Event('visibilitychange'))
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('with a document but no window (a DOM shim on a server), still hears visibilitychange', () => {
    const listener = vi.fn()
    const stop = withoutGlobals(['window'], () =>
      browserEnv().addEventListener('visibilitychange', listener),
    )
    document.dispatchEvent(new Event('visibilitychange'))
    stop()
    document.dispatchEvent(new Event('visibilitychange'))
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it.each([
    { state: 'hidden', visibility: 'hidden' },
    { state: 'visible', visibility: 'visible' },
    { state: 'prerender', visibility: 'visible' },
  ])('reads document.visibilityState "$state" as $visibility', ({ state, visibility }) => {
    const restore = stubProperty(document, 'visibilityState', state)
    try {
      expect(browserEnv().visibility()).toBe(visibility)
    } finally {
      restore()
    }
  })

  it.each([
    { onLine: false, online: false },
    { onLine: true, online: true },
    { onLine: undefined, online: true },
  ])('reads navigator.onLine $onLine as online: $online', ({ onLine, online }) => {
    const restore = stubProperty(navigator, 'onLine', onLine)
    try {
      expect(browserEnv().online()).toBe(online)
    } finally {
      restore()
    }
  })

  it('takes navigator.locks and BroadcastChannel where the platform has them', () => {
    const locks: LockManagerLike = { request: vi.fn() }
    const restore = stubProperty(navigator, 'locks', locks)
    try {
      const env = browserEnv()
      expect(env.locks).toBe(locks)
      expect(env.BroadcastChannel).toBe(globalThis.BroadcastChannel)
    } finally {
      restore()
    }
  })

  it('without window, document, navigator or BroadcastChannel it is headless, and throws nothing', () => {
    const env = withoutGlobals(['window', 'document', 'navigator', 'BroadcastChannel'], () => {
      const env = browserEnv()
      const listener = vi.fn()
      env.addEventListener('focus', listener)()
      env.addEventListener('visibilitychange', listener)()
      return {
        visibility: env.visibility(),
        online: env.online(),
        locks: env.locks,
        BroadcastChannel: env.BroadcastChannel,
      }
    })
    expect(env).toEqual({
      visibility: 'visible',
      online: true,
      locks: undefined,
      BroadcastChannel: undefined,
    })
  })
})

describe('user activity', () => {
  it.each(ACTIVITY)('a "%s" anywhere in the page counts as activity', async (type) => {
    const { store } = openPageStore()
    await store.getState().login(tokenAt(Date.now()))
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    const target = document.createElement('button')
    document.body.append(target)
    target.dispatchEvent(new Event(type)) // not bubbling: heard in the capture phase
    expect(store.getState().lastActivityAt).toBe(Date.now())
  })

  it('another page event is not activity', async () => {
    const { store } = openPageStore()
    await store.getState().login(tokenAt(Date.now()))
    const loggedInAt = Date.now()
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    document.body.dispatchEvent(new Event('click', { bubbles: true }))
    window.dispatchEvent(new Event('resize'))
    expect(store.getState().lastActivityAt).toBe(loggedInAt)
  })

  it('the page becoming visible counts as activity; becoming hidden does not', async () => {
    const browser = createFakeEnv()
    const { store } = createTestStore({ env: browser.env })
    opened.push(store)
    await store.getState().login(tokenAt(Date.now()))
    const loggedInAt = Date.now()
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    browser.setVisibility('hidden')
    browser.emit('visibilitychange')
    expect(store.getState().lastActivityAt).toBe(loggedInAt)
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    browser.setVisibility('visible')
    browser.emit('visibilitychange')
    expect(store.getState().lastActivityAt).toBe(Date.now())
  })

  it('onUserActivity listens to each activity event and visibility, and its cleanup removes them all', () => {
    const browser = createFakeEnv()
    const listener = vi.fn()
    const stop = onUserActivity(browser.env, listener)
    for (const type of ACTIVITY) browser.emit(type)
    browser.emit('visibilitychange')
    expect(listener).toHaveBeenCalledTimes(ACTIVITY.length + 1)
    expect(browser.listenerCount()).toBe(ACTIVITY.length + 1)
    stop()
    expect(browser.listenerCount()).toBe(0)
  })
})

describe('warn', () => {
  it('prefixes the message and adds an Error’s message, tokens redacted', () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const token = tokenAt(Date.now())
    warn('could not refresh', new Error(`rejected ${token}`))
    expect(warnings).toHaveBeenCalledWith(
      '[zustand-auth-session] could not refresh: rejected eyJ…(redacted)',
    )
  })

  it.each([
    { case: 'no detail', detail: undefined },
    { case: 'a detail that is not an Error', detail: 'a string' },
  ])('with $case writes the message alone', ({ detail }) => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
    warn('storage unavailable', detail)
    expect(warnings).toHaveBeenCalledExactlyOnceWith('[zustand-auth-session] storage unavailable')
  })

  it.each([
    { nodeEnv: 'production', production: true },
    { nodeEnv: 'development', production: false },
    { nodeEnv: 'test', production: false },
  ])('NODE_ENV "$nodeEnv": production $production', ({ nodeEnv, production }) => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.stubEnv('NODE_ENV', nodeEnv)
    expect(isProduction()).toBe(production)
    warn('hello')
    expect(warnings).toHaveBeenCalledTimes(production ? 0 : 1)
  })

  it('without `process` (a browser build no bundler replaced it in) is not production, and warns', () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const production = withoutGlobals(['process'], () => {
      warn('hello')
      return isProduction()
    })
    expect(production).toBe(false)
    expect(warnings).toHaveBeenCalledExactlyOnceWith('[zustand-auth-session] hello')
  })
})
