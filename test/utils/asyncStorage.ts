import type { StateStorage } from 'zustand/middleware'

/**
 * A storage whose every call returns a promise, like an IndexedDB wrapper (idb-keyval,
 * localforage). `rejectWrites`: setItem and removeItem reject, as a full or closed database does.
 */
export function createAsyncStorage(options: { rejectWrites?: boolean } = {}): StateStorage {
  const items = new Map<string, string>()
  const write = async (apply: () => void) => {
    if (options.rejectWrites) throw new DOMException('The database is closed', 'InvalidStateError')
    apply()
  }
  return {
    getItem: async (key) => items.get(key) ?? null,
    setItem: (key, value) => write(() => items.set(key, value)),
    removeItem: (key) => write(() => items.delete(key)),
  }
}
