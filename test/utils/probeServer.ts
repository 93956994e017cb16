import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach } from 'vitest'

export interface ProbeRequest {
  method: string
  url: string
  authorization: string | undefined
  body: string
}

export type ProbeHandler = (
  request: ProbeRequest,
  res: ServerResponse,
  req: IncomingMessage,
) => void | Promise<void>

const okJson: ProbeHandler = (_request, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end('{"ok":true}')
}

/**
 * A tiny real HTTP server on 127.0.0.1 that records every request (Authorization included)
 * and answers with `handler`: another origin for token-leak tests, or a server that answers
 * garbage. Real sockets, not a mock adapter.
 */
export async function startProbeServer(handler: ProbeHandler = okJson) {
  const requests: ProbeRequest[] = []
  let respond = handler
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const request: ProbeRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization,
      body: Buffer.concat(chunks).toString('utf8'),
    }
    requests.push(request)
    await respond(request, res, req)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setHandler(next: ProbeHandler) {
      respond = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type ProbeServer = Awaited<ReturnType<typeof startProbeServer>>

/**
 * A fresh probe server for every test of the file that calls this at its top level, closed
 * after it. Returns one object for the whole file, onto which each test's server is copied, so
 * tests keep writing `server.url`. Copying is enough: a server never reassigns its own fields.
 */
export function setUpProbeServer() {
  const current = {} as ProbeServer
  beforeEach(async () => {
    Object.assign(current, await startProbeServer())
  })
  afterEach(async () => {
    await current.close()
  })
  return current
}

/** A handler that answers `status` with `body` as the given content type. */
export const answer =
  (status: number, body: string, headers: Record<string, string> = {}): ProbeHandler =>
  (_request, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(body)
  }
