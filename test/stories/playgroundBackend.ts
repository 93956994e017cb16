import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CONTROL_PATH, createControlRoute } from '../server/controlRoute'
import { applyCors } from '../server/cors'
import { startReferenceServer } from '../server/referenceServer'

/**
 * `node --import tsx test/stories/playgroundBackend.ts`: the Playground's backend as
 * .storybook/referenceBackendPlugin.ts runs it (the reference server, plus `/__control` served
 * in-process on another port, so "bring the server up" works while it is down), as a process.
 * The live Playground test runs in jsdom, where the reference server cannot sign tokens (jose
 * rejects a Buffer key from another realm), so the server runs here in plain Node.
 * Prints one line, `{ url, wsUrl, controlUrl }` as JSON, once listening.
 *   JOB_INTERVAL_MS (1000)  JOB_STEPS (150)
 */
const number = (name: string, fallback: number) => {
  const raw = process.env[name]
  return raw === undefined || raw === '' ? fallback : Number(raw)
}

const backend = await startReferenceServer({
  accessTokenTtlMs: 120_000,
  job: { intervalMs: number('JOB_INTERVAL_MS', 1_000), steps: number('JOB_STEPS', 150) },
  corsOrigins: '*',
  exposeControl: true,
})
const control = createControlRoute(backend.control)
const controlServer = createServer((req, res) => {
  if (applyCors(req, res, '*')) return
  const { pathname } = new URL(req.url ?? '/', 'http://control.invalid')
  if (pathname === CONTROL_PATH || pathname.startsWith(`${CONTROL_PATH}/`)) {
    control(req, res, pathname).catch(() => res.destroy())
    return
  }
  res.writeHead(404).end()
})
await new Promise<void>((resolve) => controlServer.listen(0, '127.0.0.1', resolve))
const { port } = controlServer.address() as AddressInfo

process.stdout.write(
  `${JSON.stringify({
    url: backend.url,
    wsUrl: backend.wsUrl,
    controlUrl: `http://127.0.0.1:${port}${CONTROL_PATH}`,
  })}\n`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    controlServer.close()
    backend.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
