import type { StoryHarness } from './harness'
import { MINUTE } from './storyClock'

/**
 * Moves time like `clock.advance`, with the user at work: `recordActivity()` (what a pointer
 * or key event calls) every `everyMs`, so a long scenario is not cut short by the idle timeout.
 */
export async function advanceWhileActive(
  { store, clock }: StoryHarness,
  ms: number,
  everyMs = 5 * MINUTE,
): Promise<void> {
  for (let left = ms; left > 0; left -= everyMs) {
    await clock.advance(Math.min(everyMs, left))
    store.getState().recordActivity()
  }
  await clock.settle()
}

/** The job's newest socket (a reconnect opens a new one). */
export function socketOf({ sockets }: StoryHarness, jobName: string) {
  const socket = sockets.sockets.findLast((candidate) =>
    candidate.url.endsWith(`/ws/jobs/${encodeURIComponent(jobName)}`),
  )
  if (!socket) throw new Error(`job "${jobName}" has no socket`)
  return socket
}
