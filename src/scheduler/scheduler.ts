import type { StateCreator, StoreMutatorIdentifier } from 'zustand'
import type { ActivityTracker } from '../auth/activity'
import type { AuthSlice } from '../auth/authState'
import type { AuthRuntime } from '../runtime'
import { createTickLoop, type SchedulerApi } from './tickLoop'

export type { SchedulerApi } from './tickLoop'

export interface SchedulerMiddlewareOptions {
  runtime: AuthRuntime
  /** The auth slice's activity tracker, known once the slices have been created. */
  activity: () => ActivityTracker | undefined
}

type WithScheduler<S> = S & { scheduler: SchedulerApi }

declare module 'zustand/vanilla' {
  interface StoreMutators<S, A> {
    'auth/scheduler': WithScheduler<S>
  }
}

type Scheduler = <
  T extends AuthSlice,
  Mps extends [StoreMutatorIdentifier, unknown][] = [],
  Mcs extends [StoreMutatorIdentifier, unknown][] = [],
>(
  initializer: StateCreator<T, [...Mps, ['auth/scheduler', never]], Mcs>,
  options: SchedulerMiddlewareOptions,
) => StateCreator<T, Mps, [['auth/scheduler', never], ...Mcs]>

type SchedulerImpl = <T extends AuthSlice>(
  initializer: StateCreator<T, [], []>,
  options: SchedulerMiddlewareOptions,
) => StateCreator<T, [], []>

const schedulerImpl: SchedulerImpl = (initializer, options) => (set, get, api) => {
  const state = initializer(set, get, api)
  ;(api as WithScheduler<typeof api>).scheduler = createTickLoop({
    runtime: options.runtime,
    getState: get,
    subscribe: api.subscribe,
    activity: options.activity,
  })
  return state
}

/**
 * Middleware that ticks every `tickMs` while a user is signed in and calls the store's own
 * `refresh` / `validate` / `logout` actions. Its controls live on the store
 * (`store.scheduler.start/stop/tickNow`), not in state.
 */
export const scheduler = schedulerImpl as unknown as Scheduler
