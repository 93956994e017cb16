/**
 * `4:05`, `1:02:03`: a duration as a countdown shows it, whole seconds rounded down.
 * Negative durations are formatted by their size; the caller says "ago".
 */
export function formatCountdown(ms: number): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const ss = String(seconds).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`
}

/** The same duration as an ISO 8601 duration, for `<time dateTime>`: `PT4M5S`. */
export function isoDuration(ms: number): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000)
  return `PT${totalSeconds}S`
}
