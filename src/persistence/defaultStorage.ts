import type { StateStorage } from 'zustand/middleware'
import { memoryStorage } from './memoryStorage'

/**
 * `localStorage` when the platform has a working one. Merely reading `window.localStorage`
 * throws in some sandboxed iframes and with cookies blocked, hence the probe.
 */
export function defaultStorage(): StateStorage {
  try {
    const storage = typeof window === 'undefined' ? undefined : window.localStorage
    if (storage) return storage
  } catch {
    // no usable localStorage: memory below
  }
  return memoryStorage()
}
