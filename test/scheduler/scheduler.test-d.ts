import { expectTypeOf, test } from 'vitest'
import { create } from 'zustand'
import { createAuthStore } from '../../src/createAuthStore'
import { scheduler } from '../../src/scheduler/scheduler'
import type { SchedulerApi } from '../../src/scheduler/tickLoop'
import type { AuthStatus, SignOutReason } from '../../src/types'
import { createFakeTransport } from '../utils/fakeTransport'

test('the scheduler middleware adds its controls to the store type', () => {
  const store = createAuthStore({ transport: createFakeTransport().transport })
  expectTypeOf(store.scheduler).toEqualTypeOf<SchedulerApi>()
  expectTypeOf(store.scheduler.tickNow).returns.toEqualTypeOf<Promise<void>>()
  expectTypeOf(store.dispose).toEqualTypeOf<() => void>()
})

test('the store exposes the documented state and actions', () => {
  const store = createAuthStore({ transport: createFakeTransport().transport })
  const state = store.getState()
  expectTypeOf(state.status).toEqualTypeOf<AuthStatus>()
  expectTypeOf(state.signOutReason).toEqualTypeOf<SignOutReason | null>()
  expectTypeOf(state.token).toEqualTypeOf<string | null>()
  expectTypeOf(state.refresh).returns.toEqualTypeOf<Promise<boolean>>()
  expectTypeOf(store.setState).parameter(2).toExtend<string | { type: string } | undefined>()
})

test('the middleware cannot wrap a store without the auth slice', () => {
  // @ts-expect-error: the scheduler calls refresh/validate/logout, so the state must have them
  create<{ count: number }>()(scheduler(() => ({ count: 0 }), {} as never))
})
