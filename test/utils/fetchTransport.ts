import { HttpError } from '../../src/errors/HttpError'
import { NetworkError } from '../../src/errors/NetworkError'
import type { Session, TokenSet, Transport } from '../../src/types'

export interface DemoCredentials {
  username: string
  password: string
}

interface TokenResponse {
  access_token: string
  refresh_token: string
}

/**
 * A transport for the reference server in test/server, on `fetch`: enough for integration tests
 * that must not depend on the axios transport. Errors are translated at this edge, as a real
 * transport would: an HTTP status becomes an HttpError, no answer a NetworkError.
 */
export function createFetchTransport(baseUrl: string): Transport<DemoCredentials> {
  const request = async (path: string, init: RequestInit): Promise<Response> => {
    let response: Response
    try {
      response = await fetch(`${baseUrl}${path}`, init)
    } catch (cause) {
      throw new NetworkError(`${init.method ?? 'GET'} ${path} failed`, { cause })
    }
    if (!response.ok) {
      throw new HttpError(response.status, `Request failed with status code ${response.status}`)
    }
    return response
  }
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const toTokenSet = async (response: Response): Promise<TokenSet> => {
    const body = (await response.json()) as TokenResponse
    // No expiresAt: the store derives it from the token's exp - iat on its own clock.
    return { accessToken: body.access_token, refreshToken: body.refresh_token }
  }
  const bearer = (session: Session) => ({ authorization: `Bearer ${session.accessToken}` })

  return {
    login: async (credentials) => toTokenSet(await postJson('/auth/login', credentials)),
    refresh: async (session) =>
      toTokenSet(await postJson('/auth/refresh', { refresh_token: session.refreshToken })),
    validate: async (session) => {
      await request('/auth/validate', { headers: bearer(session) })
    },
    logout: async (session) => {
      await postJson('/auth/logout', { refresh_token: session.refreshToken }, bearer(session))
    },
  }
}
