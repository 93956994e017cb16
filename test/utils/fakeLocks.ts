import type { LockManagerLike } from '../../src/env/browser'

/**
 * An in-process Web Locks stand-in (Node 20 has no `navigator.locks`): exclusive, FIFO, and
 * honouring `signal` for waiters, like the browser's. `hold(name)` simulates a lock that is
 * never released (an orphaned lock after a crash, or a browser that never answers).
 */
export function createFakeLocks() {
  const queues = new Map<string, Array<() => void>>()
  const held = new Set<string>()
  let granted = 0

  const release = (name: string) => {
    const next = queues.get(name)?.shift()
    if (next) next()
    else held.delete(name)
  }

  const locks: LockManagerLike = {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const run = () => {
          held.add(name)
          granted += 1
          Promise.resolve()
            .then(() => callback({ name }))
            .then(resolve, reject)
            .finally(() => release(name))
        }
        if (!held.has(name)) return run()
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        queue.push(run)
        options.signal?.addEventListener('abort', () => {
          const index = queue.indexOf(run)
          if (index >= 0) queue.splice(index, 1)
          reject(new DOMException('The request was aborted.', 'AbortError'))
        })
      })
    },
  }
  return {
    locks,
    /** Takes a lock forever. */
    hold(name: string) {
      held.add(name)
    },
    granted: () => granted,
  }
}
