/**
 * Keeps the newest user-activity time in memory and writes it to the store at most once per
 * `throttleMs`: a mouse move must not cost a store write (and a devtools entry) each time.
 * `flush()` writes what is pending; the scheduler calls it before it checks the idle timeout,
 * so the throttle can only ever make the idle sign-out later, never earlier.
 *
 * Activity reported by other tabs is kept apart: another tab writes (and so broadcasts) its
 * activity up to one tick late, so a remote time is only trusted as "at least this recent"
 * plus `remoteLagMs`. Without that, this tab could sign everyone out while the user is still
 * typing in a tab whose latest activity has not been broadcast yet.
 */
export interface ActivityTracker {
  /** Activity in this tab. */
  record(at: number): void
  /** Activity another tab reported. */
  recordRemote(at: number): void
  /** Writes pending activity to the store. */
  flush(): void
  /** The time the idle timeout counts from. */
  idleReference(): number
  /** Starts over from a known time (login, rehydration, a session adopted from another tab). */
  reset(at: number): void
}

export function createActivityTracker(options: {
  throttleMs: number
  remoteLagMs: number
  readStored: () => number
  write: (at: number, remote: boolean) => void
}): ActivityTracker {
  let baseline = Number.NEGATIVE_INFINITY
  let local = Number.NEGATIVE_INFINITY
  let remote = Number.NEGATIVE_INFINITY
  const writeIfDue = (at: number, isRemote: boolean) => {
    if (at - options.readStored() >= options.throttleMs) options.write(at, isRemote)
  }
  return {
    record(at) {
      // Stryker disable next-line EqualityOperator: at equal to local, the assignment stores the value local already holds
      if (at > local) local = at
      writeIfDue(local, false)
    },
    recordRemote(at) {
      // Stryker disable next-line EqualityOperator: at equal to remote, the assignment stores the value remote already holds
      if (at > remote) remote = at
      writeIfDue(remote, true)
    },
    flush() {
      if (local > options.readStored()) options.write(local, false)
      if (remote > options.readStored()) options.write(remote, true)
    },
    idleReference: () => Math.max(baseline, local, remote + options.remoteLagMs),
    reset(at) {
      baseline = at
      local = Number.NEGATIVE_INFINITY
      remote = Number.NEGATIVE_INFINITY
    },
  }
}
