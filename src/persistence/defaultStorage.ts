import type { StateStorage } from 'zustand/middleware'
import { memoryStorage } from './memoryStorage'

/**
 * `localStorage` when the platform has a working one (shared by the tabs of the origin), else
 * a private memory storage. Merely reading `window.localStorage` throws in some sandboxed
 * iframes and with cookies blocked, hence the probe.
 */
export function defaultStorage(): { storage: StateStorage; shared: boolean } {
  try {
    // Throws without a window too (Node, server rendering).
    const storage = window.localStorage
    if (storage) return { storage, shared: true }
  } catch {
    // no usable localStorage: memory below
  }
  return { storage: memoryStorage(), shared: false }
}

/**
 * The storage a store persists to, and whether other stores (tabs) may share it: the default
 * localStorage and any storage the app passes are shared; `null` and the memory fallback are not.
 */
export function resolveStorage(option: StateStorage | null | undefined): {
  storage: StateStorage
  shared: boolean
  /** Shared with other processes (the browser's localStorage): writes arrive with a delay. */
  crossProcess: boolean
} {
  // Stryker disable next-line BooleanLiteral: crossProcess is read only for a shared storage, and this one is not
  if (option === null) return { storage: memoryStorage(), shared: false, crossProcess: false }
  const resolved = option === undefined ? defaultStorage() : { storage: option, shared: true }
  return { ...resolved, crossProcess: resolved.shared && isBrowserLocalStorage(resolved.storage) }
}

function isBrowserLocalStorage(storage: StateStorage): boolean {
  let local: Storage | undefined
  try {
    local = window.localStorage
  } catch {
    // no window, or no usable localStorage: then it is not this storage
  }
  return storage === local
}
