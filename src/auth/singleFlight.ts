/**
 * One promise per key at a time: concurrent callers share the request and its result
 * (supabase auth-js' `_callRefreshToken` keeps a deferred for the same reason). The key is the
 * session epoch, so a flight begun for a session that has since ended is not handed to the
 * next session; the next session's flight waits for it to settle, so there is never more than
 * one request in flight, whatever the sessions do.
 */
export interface SingleFlight<T> {
  run(key: number, task: () => Promise<T>): Promise<T>
  inFlight(): boolean
}

export function createSingleFlight<T>(): SingleFlight<T> {
  let current: { key: number; promise: Promise<T> } | null = null
  return {
    run(key, task) {
      if (current && current.key === key) return current.promise
      const previous = current?.promise
      const promise = (previous ? previous.then(task, task) : task()).finally(() => {
        // Stryker disable next-line OptionalChaining: never null here: current is this flight or a later one chained after it, which settles later
        if (current?.promise === promise) current = null
      })
      current = { key, promise }
      return promise
    },
    inFlight: () => current !== null,
  }
}
