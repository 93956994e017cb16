import type { AuthClientStore } from './authClientStore'

/**
 * Counts the refreshes an auth client has waited for. A request remembers the round it was
 * sent in; a 401 for it after a later round has ended means a refresh already ran for it. Had
 * that refresh failed transiently, starting another for every late 401 would be a refresh storm
 * against a server that is struggling: those calls share the failed round's outcome instead.
 */
export interface RefreshRounds {
  current(): number
  /** Runs the store's (single-flight) refresh; concurrent callers share one round. */
  run(): Promise<void>
  /**
   * The round a request sent now belongs to: the one after any round still being counted. A
   * call that waited for a refresh resumes when the refresh settles, a moment before its round
   * is counted; marked with `current()` then, it would look sent before that round, and a 401
   * for its new token would never get a refresh of its own.
   */
  forNewRequest(): number
}

export function createRefreshRounds(store: AuthClientStore): RefreshRounds {
  let round = 0
  let running: Promise<void> | null = null
  return {
    current: () => round,
    run() {
      running ??= store
        .getState()
        .refresh()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          // Stryker disable next-line AssignmentOperator: rounds are only compared for equality, and counting down keeps them apart too
          round += 1
          running = null
        })
      return running
    },
    forNewRequest: () => (running ? round + 1 : round),
  }
}
