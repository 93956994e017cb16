/** A promise, or anything `await` treats as one (an async storage may return either). */
export const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function'

/**
 * Marks an async storage's rejection as seen, where a failed write only costs a best-effort
 * message or lease (the caller already treats a throw the same way), so it is no unhandled
 * rejection in the app's console or its error tracker.
 */
export function ignoreRejection(value: unknown): void {
  if (isThenable(value)) value.then(undefined, () => {})
}
