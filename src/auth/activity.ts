/**
 * Keeps the newest user-activity time in memory and writes it to the store at most once per
 * `throttleMs`: a mouse move must not cost a store write (and a devtools entry) each time.
 * `flush()` writes what is pending; the scheduler calls it before it checks the idle timeout,
 * so the throttle can only ever make the idle sign-out later, never earlier.
 */
export interface ActivityTracker {
  record(at: number): void
  flush(): void
  latest(): number
}

export function createActivityTracker(options: {
  throttleMs: number
  readStored: () => number
  write: (at: number) => void
}): ActivityTracker {
  let latest = Number.NEGATIVE_INFINITY
  const flush = () => {
    if (latest > options.readStored()) options.write(latest)
  }
  return {
    record(at) {
      if (at > latest) latest = at
      if (latest - options.readStored() >= options.throttleMs) options.write(latest)
    },
    flush,
    latest: () => Math.max(latest, options.readStored()),
  }
}
