import type { IncomingMessage, ServerResponse } from 'node:http'

/** Small request/response helpers; the server deliberately has no framework. */

// Auth payloads are tiny; refusing large bodies keeps a misbehaving test from eating memory.
const MAX_BODY_BYTES = 64 * 1024

export class BadRequestError extends Error {
  override name = 'BadRequestError' as const
}

/** The parsed JSON object, `{}` for an empty body; throws BadRequestError otherwise. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new BadRequestError('body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new BadRequestError('body is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError('body is not a JSON object')
  }
  return parsed as Record<string, unknown>
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return
  const payload = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    // Tokens must never land in a browser or proxy cache.
    'Cache-Control': 'no-store',
  })
  res.end(payload)
}

export function sendEmpty(res: ServerResponse, status: number): void {
  if (res.destroyed) return
  res.writeHead(status)
  res.end()
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return match?.[1]
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=')
    if (separator < 0) continue
    if (part.slice(0, separator).trim() === name)
      return safeDecode(part.slice(separator + 1).trim())
  }
  return undefined
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
