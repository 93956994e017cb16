import { startReferenceServer } from './referenceServer'

/**
 * `npx tsx test/server/cli.ts`: the reference server as a process for Storybook and browser
 * tests. Prints exactly one line, its URL, once listening; anything else goes to stderr so a
 * parent process can read the URL from stdout.
 *   PORT (0)  ACCESS_TTL_SEC  REFRESH_IDLE_TTL_SEC  JOB_INTERVAL_MS  CORS_ORIGINS ("*" or a,b)
 */
const env = process.env

const server = await startReferenceServer({
  port: numberFromEnv('PORT') ?? 0,
  accessTokenTtlMs: secondsFromEnv('ACCESS_TTL_SEC'),
  refreshTokenIdleTtlMs: secondsFromEnv('REFRESH_IDLE_TTL_SEC'),
  job: { intervalMs: numberFromEnv('JOB_INTERVAL_MS') },
  corsOrigins: corsOriginsFromEnv(env.CORS_ORIGINS),
  exposeControl: true,
})
process.stdout.write(`${server.url}\n`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
}

function numberFromEnv(name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number >= 0, got ${raw}`)
  return value
}

function secondsFromEnv(name: string): number | undefined {
  const seconds = numberFromEnv(name)
  return seconds === undefined ? undefined : seconds * 1000
}

function corsOriginsFromEnv(raw: string | undefined): string[] | '*' {
  if (raw === undefined) return []
  if (raw.trim() === '*') return '*'
  return raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
}
