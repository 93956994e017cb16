/**
 * Timers the server owns, wrapped rather than aliased so `vi.useFakeTimers()` (installed after
 * import) still drives them, and tracked so `close()` can clear every one and let vitest exit.
 */
export interface TimerScope {
  setTimeout(callback: () => void, ms: number): () => void
  setInterval(callback: () => void, ms: number): () => void
  delay(ms: number): Promise<void>
  /** Clears every pending timer; promises from `delay` then never settle. */
  dispose(): void
}

export function createTimerScope(): TimerScope {
  const cancels = new Set<() => void>()

  const track = (cancel: () => void) => {
    const once = () => {
      cancels.delete(once)
      cancel()
    }
    cancels.add(once)
    return once
  }

  const scope: TimerScope = {
    setTimeout: (callback, ms) => {
      const cancel = track(() => clearTimeout(handle))
      const handle = setTimeout(() => {
        cancel()
        callback()
      }, ms)
      return cancel
    },
    setInterval: (callback, ms) => {
      const handle = setInterval(callback, ms)
      return track(() => clearInterval(handle))
    },
    delay: (ms) => new Promise((resolve) => scope.setTimeout(resolve, ms)),
    dispose: () => {
      for (const cancel of [...cancels]) cancel()
    },
  }
  return scope
}
