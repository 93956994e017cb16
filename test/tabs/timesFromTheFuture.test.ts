import { expect, it, vi } from 'vitest'
import { memoryStorage } from '../../src/persistence/memoryStorage'
import { createChannelBus } from '../utils/fakeChannelBus'
import { tokenAt } from '../utils/jwt'
import { KEY, storedSession } from '../utils/sharedOrigin'
import { tabsOnFakeTimers } from '../utils/tabsOnFakeTimers'

/**
 * Times the store did not measure itself (a stored last activity, another tab's message) count
 * as now at the latest. One from the future (written while the clock ran ahead, or a bad
 * message) would otherwise hold the idle timeout, or the next validation, off until the clock
 * caught up with it.
 */
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const tabs = tabsOnFakeTimers()

it('a stored last activity a day ahead counts as now: the idle timeout comes after 60 minutes', async () => {
  const storage = memoryStorage()
  storage.setItem(
    KEY,
    storedSession({
      token: tokenAt(Date.now()),
      expiresAt: Date.now() + 60 * MINUTE,
      lastActivityAt: Date.now() + DAY,
    }),
  )
  const { store } = tabs.openTab({ storage })
  expect(store.getState()).toMatchObject({ status: 'authenticated', lastActivityAt: Date.now() })

  await vi.advanceTimersByTimeAsync(59 * MINUTE)
  expect(store.getState().status).not.toBe('signedOut')
  await vi.advanceTimersByTimeAsync(2 * MINUTE)
  expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'idle' })
})

it('another tab’s activity dated a year ahead counts as now: the idle timeout still comes', async () => {
  const bus = createChannelBus()
  const { store } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
  await vi.advanceTimersByTimeAsync(10 * MINUTE)
  bus.inject({ kind: 'activity', at: Date.now() + 365 * DAY })
  const reportedAt = Date.now()

  await vi.advanceTimersByTimeAsync(3 * 60 * MINUTE)
  expect(store.getState().signOutReason).toBe('idle')
  expect(store.getState().lastActivityAt).toBeLessThanOrEqual(reportedAt)
})

it('another tab’s validation dated a year ahead does not stop this tab validating', async () => {
  const bus = createChannelBus()
  const { store, fake } = await tabs.openSignedInTab({ BroadcastChannel: bus.Channel })
  bus.inject({ kind: 'validated', at: Date.now() + 365 * DAY })
  fake.transport.validate.mockClear()

  await vi.advanceTimersByTimeAsync(3 * MINUTE)
  expect(fake.transport.validate).toHaveBeenCalled()
  expect(store.getState().status).toBe('authenticated')
})
