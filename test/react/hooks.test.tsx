import { act, render, renderHook, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Timers } from '../../src/env/timers'
import { AuthStoreProvider, useNow } from '../../src/react/AuthStoreProvider'
import { createTickingClock, type UiClock } from '../../src/react/uiClock'
import { useJobProgress } from '../../src/react/useJobProgress'
import { createTestStore } from '../utils/createTestStore'
import { createFakeWebSockets, type FakeWebSockets } from '../utils/fakeWebSocket'
import { tokenAt } from '../utils/jwt'

/**
 * The hooks' own logic: the UI clock (ticks on interval boundaries while listened to, no timer
 * left behind) and `useJobProgress` (what a job's events turn into, and its subscription's life).
 */
const START = Date.parse('2026-01-01T09:00:00.400Z')
let sockets: FakeWebSockets

beforeEach(() => {
  vi.useFakeTimers({ now: START })
  sockets = createFakeWebSockets()
})
afterEach(() => {
  vi.useRealTimers()
})

/** The platform's timers (faked), with the calls recorded. */
function spiedTimers(delayMs = 0) {
  return {
    setTimeout: vi.fn((callback: () => void, ms: number) => setTimeout(callback, ms + delayMs)),
    clearTimeout: vi.fn((handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)),
  } satisfies Timers
}

describe('createTickingClock', () => {
  it('until something listens, now() moves only by whole intervals (1 s by default)', async () => {
    const clock = createTickingClock()
    expect(clock.now()).toBe(START)

    await vi.advanceTimersByTimeAsync(999)
    expect(clock.now()).toBe(START)
    await vi.advanceTimersByTimeAsync(1)
    expect(clock.now()).toBe(START + 1_000)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a listener is called on each second boundary, and now() moves with it', async () => {
    const clock = createTickingClock()
    const listener = vi.fn()
    clock.subscribe(listener)

    await vi.advanceTimersByTimeAsync(599)
    expect(listener).not.toHaveBeenCalled()
    expect(clock.now()).toBe(START)
    await vi.advanceTimersByTimeAsync(1)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(clock.now()).toBe(Date.parse('2026-01-01T09:00:01Z'))

    await vi.advanceTimersByTimeAsync(999)
    expect(listener).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(listener).toHaveBeenCalledTimes(2)
    expect(clock.now()).toBe(Date.parse('2026-01-01T09:00:02Z'))
  })

  it('timers that fire late do not add up: each tick aims at the next boundary again', async () => {
    const clock = createTickingClock({ timers: spiedTimers(100) })
    const seen: number[] = []
    clock.subscribe(() => seen.push(clock.now()))

    await vi.advanceTimersByTimeAsync(3_000)

    expect(seen.map((at) => new Date(at).toISOString())).toEqual([
      '2026-01-01T09:00:01.100Z',
      '2026-01-01T09:00:02.100Z',
      '2026-01-01T09:00:03.100Z',
    ])
  })

  it('a timer throttled past the next boundary (a background tab): now() moves only with a tick', async () => {
    const clock = createTickingClock({ timers: spiedTimers(1_500) })
    const listener = vi.fn()
    clock.subscribe(listener)

    await vi.advanceTimersByTimeAsync(3_100)

    expect(listener).toHaveBeenCalledTimes(1)
    expect(clock.now()).toBe(Date.parse('2026-01-01T09:00:02.500Z'))
  })

  it('the first listener starts from the present, not from when the clock was made', async () => {
    const clock = createTickingClock()
    await vi.advanceTimersByTimeAsync(1_500)
    const listener = vi.fn()

    clock.subscribe(listener)

    expect(clock.now()).toBe(START + 1_500)
    await vi.advanceTimersByTimeAsync(99)
    expect(listener).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('uses the interval, time source and timers it is given', () => {
    let time = 10_100
    const timers = spiedTimers()
    const clock = createTickingClock({ intervalMs: 250, now: () => time, timers })

    clock.subscribe(() => {})
    expect(timers.setTimeout).toHaveBeenLastCalledWith(expect.any(Function), 150)
    time = 10_399
    vi.advanceTimersByTime(150)

    expect(clock.now()).toBe(10_399)
    expect(timers.setTimeout).toHaveBeenLastCalledWith(expect.any(Function), 101)
  })

  it('the last unsubscribe stops the timer, once; another listener keeps it going', async () => {
    const timers = spiedTimers()
    const clock = createTickingClock({ timers })
    const first = vi.fn()
    const second = vi.fn()
    const stopFirst = clock.subscribe(first)
    const stopSecond = clock.subscribe(second)

    stopFirst()
    await vi.advanceTimersByTimeAsync(600)
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledTimes(1)
    expect(timers.clearTimeout).not.toHaveBeenCalled()

    stopSecond()
    stopSecond()
    expect(timers.clearTimeout).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(second).toHaveBeenCalledTimes(1)
  })

  it('the last listener unsubscribing in its own callback leaves no timer behind', async () => {
    const clock = createTickingClock()
    const listener = vi.fn(() => unsubscribe())
    const unsubscribe = clock.subscribe(listener)

    await vi.advanceTimersByTimeAsync(600)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a listener that throws is reported; the others keep getting every tick', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const clock = createTickingClock()
    clock.subscribe(() => {
      throw new Error('broken')
    })
    const listener = vi.fn()
    clock.subscribe(listener)

    await vi.advanceTimersByTimeAsync(600)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(warn).toHaveBeenCalledWith('[zustand-auth-session] a UI clock listener threw: broken')
    await vi.advanceTimersByTimeAsync(3_000)
    expect(listener).toHaveBeenCalledTimes(4)
    expect(warn).toHaveBeenCalledTimes(4)
  })

  it('once nothing listens, now() catches up again, and a new listener restarts the ticks', async () => {
    const clock = createTickingClock()
    clock.subscribe(() => {})()

    await vi.advanceTimersByTimeAsync(1_000)
    expect(clock.now()).toBe(START + 1_000)

    const listener = vi.fn()
    clock.subscribe(listener)
    await vi.advanceTimersByTimeAsync(600)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(clock.now()).toBe(Date.parse('2026-01-01T09:00:02Z'))
  })
})

function Time() {
  return <p>{new Date(useNow()).toISOString()}</p>
}

describe('useNow with a ticking clock', () => {
  it('re-renders on each tick; unmounting leaves no timer', async () => {
    const { store } = createTestStore({ autoStart: false })
    const clock = createTickingClock()
    const view = render(
      <AuthStoreProvider store={store} clock={clock}>
        <Time />
      </AuthStoreProvider>,
    )
    expect(screen.getByText('2026-01-01T09:00:00.400Z')).toBeTruthy()

    await act(() => vi.advanceTimersByTimeAsync(600))
    expect(screen.getByText('2026-01-01T09:00:01.000Z')).toBeTruthy()

    view.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('useJobProgress', () => {
  const fixedClock: UiClock = { now: () => START, subscribe: () => () => {} }

  async function signedInStore() {
    const { store } = createTestStore({
      autoStart: false,
      websocket: {
        url: (name) => `wss://api.test/ws/jobs/${name}`,
        WebSocket: sockets.WebSocket,
      },
    })
    await store.getState().login(tokenAt(Date.now()))
    return store
  }

  function renderProgress(store: ReturnType<typeof createTestStore>['store'], jobName = 'build') {
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthStoreProvider store={store} clock={fixedClock}>
        {children}
      </AuthStoreProvider>
    )
    return renderHook(({ name }: { name: string }) => useJobProgress(name), {
      wrapper,
      initialProps: { name: jobName },
    })
  }

  it('follows the events: percent clamped to 0–100, seq kept when an event has none, done', async () => {
    const store = await signedInStore()
    const { result } = renderProgress(store)
    expect(result.current).toEqual({ percent: null, seq: null, done: false, problem: null })
    const socket = sockets.last()
    const send = (event: Record<string, unknown>) => act(() => void socket.deliver(event))

    send({ type: 'auth_ok' })
    send({ type: 'progress', seq: 1, progress: 40 })
    expect(result.current).toEqual({ percent: 40, seq: 1, done: false, problem: null })
    send({ type: 'progress', seq: 2, progress: 150 })
    expect(result.current).toMatchObject({ percent: 100, seq: 2 })
    send({ type: 'progress', seq: 3, progress: -5 })
    expect(result.current).toMatchObject({ percent: 0, seq: 3 })
    send({ type: 'progress', progress: 70 })
    expect(result.current).toMatchObject({ percent: 70, seq: 3 })
    send({ type: 'note', text: 'warming up' })
    send({ type: 'progress', seq: 4, progress: '80' })
    expect(result.current).toMatchObject({ percent: 70, seq: 3, done: false })
    send({ type: 'done', progress: 100 })

    expect(result.current).toEqual({ percent: 70, seq: 3, done: true, problem: null })
  })

  it('without the websocket option: the problem says why, nothing throws', async () => {
    const { store } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(Date.now()))

    const { result } = renderProgress(store)

    expect(result.current).toEqual({
      percent: null,
      seq: null,
      done: false,
      problem:
        '[zustand-auth-session] subscribeJob() needs the `websocket` option of createAuthStore',
    })
  })

  it('a subscribeJob that throws something other than an Error: its text is the problem', async () => {
    const store = await signedInStore()
    store.setState({
      subscribeJob: () => {
        throw 'offline'
      },
    })

    const { result } = renderProgress(store)

    expect(result.current.problem).toBe('offline')
  })

  it('unmounting unsubscribes: the socket closes and the job leaves the state', async () => {
    const store = await signedInStore()
    const view = renderProgress(store)
    expect(store.getState().jobs.build?.status).toBe('connecting')

    view.unmount()

    expect(sockets.last().closedByClient).toBe(1000)
    expect(store.getState().jobs).toEqual({})
  })

  it('another job name starts from nothing and moves the subscription', async () => {
    const store = await signedInStore()
    const view = renderProgress(store, 'a')
    const a = sockets.last()
    act(() => void a.authenticate().deliver({ type: 'progress', seq: 5, progress: 50 }))
    expect(view.result.current).toMatchObject({ percent: 50, seq: 5 })

    view.rerender({ name: 'b' })

    expect(view.result.current).toEqual({ percent: null, seq: null, done: false, problem: null })
    expect(a.closedByClient).toBe(1000)
    expect(sockets.last().url).toBe('wss://api.test/ws/jobs/b')
    act(() => void sockets.last().authenticate().deliver({ type: 'progress', seq: 1, progress: 5 }))
    expect(view.result.current).toMatchObject({ percent: 5, seq: 1 })
    expect(Object.keys(store.getState().jobs)).toEqual(['b'])
  })
})
