/** Request and event tallies, so tests can assert "exactly N refresh attempts". */
export interface Counters {
  increment(key: string): void
  snapshot(): Record<string, number>
  reset(): void
}

export function createCounters(): Counters {
  let counts: Record<string, number> = {}
  return {
    increment: (key) => {
      counts[key] = (counts[key] ?? 0) + 1
    },
    snapshot: () => ({ ...counts }),
    reset: () => {
      counts = {}
    },
  }
}
