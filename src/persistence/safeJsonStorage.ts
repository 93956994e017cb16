import type { PersistStorage, StateStorage, StorageValue } from 'zustand/middleware'
import { StorageError } from '../errors/StorageError'
import { isThenable } from '../thenable'
import { memoryStorage } from './memoryStorage'

/**
 * A JSON `PersistStorage` that never throws. A storage that throws (quota, Safari private mode,
 * a sandboxed iframe) is swapped for memory, once, and the problem reported; unreadable JSON is
 * treated as "nothing stored". The app keeps working either way.
 */
export interface SafeJsonStorage<S> extends PersistStorage<S> {
  /**
   * The raw storage the session is kept in now: the one given, then memory once that threw.
   * The tabs code reads the session through this, so a tab whose writes no longer reach the
   * shared storage never takes the stale copy there (a sign-out, say) for another tab's word.
   */
  readonly current: StateStorage
}

export function createSafeJsonStorage<S>(
  storage: StateStorage,
  onProblem: (error: StorageError) => void,
): SafeJsonStorage<S> {
  let backing = storage
  const fallBackToMemory = (error: unknown) => {
    if (backing !== storage) return
    backing = memoryStorage()
    onProblem(
      new StorageError('The storage threw; the session is kept in memory from now on', {
        cause: error,
      }),
    )
  }

  const parse = (name: string, raw: string | null): StorageValue<S> | null => {
    if (raw === null || raw === undefined) return null
    try {
      // JSON that is not an object (null, a number, a string) makes `in` throw: unreadable too.
      const value = JSON.parse(raw) as object
      if ('state' in value) return value as StorageValue<S>
    } catch {
      // fall through: garbage is reported below like any other unreadable value
    }
    onProblem(
      new StorageError(`The stored session under "${name}" is unreadable; it was discarded`),
    )
    return null
  }

  return {
    current: {
      getItem: (name) => backing.getItem(name),
      setItem: (name, value) => backing.setItem(name, value),
      removeItem: (name) => backing.removeItem(name),
    },
    getItem(name) {
      try {
        const raw = backing.getItem(name)
        if (isThenable(raw)) {
          return Promise.resolve(raw).then(
            (value) => parse(name, value),
            (error: unknown) => {
              fallBackToMemory(error)
              return null
            },
          )
        }
        return parse(name, raw)
      } catch (error) {
        fallBackToMemory(error)
        return null
      }
    },
    setItem(name, value) {
      const json = JSON.stringify(value)
      try {
        const result = backing.setItem(name, json)
        if (isThenable(result)) {
          return Promise.resolve(result).catch((error: unknown) => {
            fallBackToMemory(error)
            return backing.setItem(name, json)
          })
        }
      } catch (error) {
        fallBackToMemory(error)
        backing.setItem(name, json)
      }
    },
    removeItem(name) {
      try {
        const result = backing.removeItem(name)
        if (isThenable(result)) return Promise.resolve(result).catch(fallBackToMemory)
      } catch (error) {
        fallBackToMemory(error)
      }
    },
  }
}
