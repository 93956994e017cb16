/**
 * Where the live reference backend is. In `storybook dev` the Vite plugin in
 * .storybook/referenceBackendPlugin.ts starts it and answers `GET /__reference-backend` with
 * this; a static build has no such endpoint, and the playground says how to get one.
 */
export interface PlaygroundBackend {
  /** `http://127.0.0.1:PORT`: the auth API, called cross-origin with CORS. */
  url: string
  /** `ws://127.0.0.1:PORT`: job sockets. */
  wsUrl: string
  /**
   * The `POST /__control` endpoint. Storybook serves it on its own origin and runs it
   * in-process, so "bring the server up" still works while the backend refuses connections.
   */
  controlUrl: string
}

export const BACKEND_INFO_PATH = '/__reference-backend'

const isBackend = (value: unknown): value is PlaygroundBackend => {
  if (typeof value !== 'object' || value === null) return false
  const { url, wsUrl, controlUrl } = value as Record<string, unknown>
  return typeof url === 'string' && typeof wsUrl === 'string' && typeof controlUrl === 'string'
}

/** The backend of this Storybook, or null when there is none (static build, tests). */
export async function discoverBackend(): Promise<PlaygroundBackend | null> {
  try {
    const response = await fetch(BACKEND_INFO_PATH, { headers: { accept: 'application/json' } })
    if (!response.ok) return null
    const body: unknown = await response.json()
    return isBackend(body) ? body : null
  } catch {
    // No server, a relative URL outside a page (tests), or an HTML fallback page: no backend.
    return null
  }
}

/** Runs one `ServerControl` action (`down`, `up`, `revokeSession`…); see test/server/controlRoute.ts. */
export async function sendControl(
  backend: PlaygroundBackend,
  action: string,
  args: Record<string, unknown> = {},
): Promise<unknown> {
  const response = await fetch(backend.controlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action, ...args }),
  })
  const body = (await response.json()) as { ok: boolean; result?: unknown; error?: string }
  if (!body.ok) throw new Error(body.error ?? `control ${action} failed`)
  return body.result
}
