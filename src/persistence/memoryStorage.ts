import type { StateStorage } from 'zustand/middleware'

/** A `StateStorage` in a Map: private to one store, gone on reload. */
export function memoryStorage(): StateStorage {
  const items = new Map<string, string>()
  return {
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => {
      items.set(name, value)
    },
    removeItem: (name) => {
      items.delete(name)
    },
  }
}
