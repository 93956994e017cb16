import type { Clock } from '../../src/env/clock'
import { HttpError } from '../../src/errors/HttpError'
import { NetworkError } from '../../src/errors/NetworkError'
import type { TokenSet, Transport } from '../../src/types'
import { unsignedJwt } from './jwt'
import { MINUTE } from './storyClock'

export interface DemoCredentials {
  username: string
  password: string
}

type Route = 'login' | 'refresh' | 'validate' | 'logout'

const ROUTES: Record<Route, string> = {
  login: 'POST /auth/login',
  refresh: 'POST /auth/refresh',
  validate: 'GET /auth/validate',
  logout: 'POST /auth/logout',
}

/**
 * The server a story's store talks to, scripted by the story: up or down, a session that is
 * valid or revoked, answers now or held open. Its errors read like `axiosTransport`'s, so the
 * stories show the messages an app would.
 */
export interface StubServer {
  readonly transport: Transport<DemoCredentials>
  /** How long the tokens it issues live (sent like `expires_in`). @default 60 minutes */
  tokenTtlMs: number
  /** Requests so far, by route. */
  readonly calls: Record<Route, number>
  /** Every request gets no answer (connection refused) until `up()`. */
  down(): void
  up(): void
  /** The session is revoked: validate and refresh answer 401. */
  revoke(): void
  /** Requests wait (the UI shows them in flight) until `release()`. */
  hold(): void
  release(): void
}

export function createStubServer(now: Clock): StubServer {
  let isDown = false
  let revoked = false
  let holding = false
  const held: Array<() => void> = []
  let rotation = 0
  const calls: Record<Route, number> = { login: 0, refresh: 0, validate: 0, logout: 0 }

  const answer = async (route: Route, authenticated: boolean) => {
    calls[route] += 1
    if (holding) await new Promise<void>((resolve) => held.push(resolve))
    if (isDown) throw new NetworkError(`${ROUTES[route]} got no answer: connect ECONNREFUSED`)
    if (authenticated && revoked) {
      const code = route === 'refresh' ? 'invalid_grant' : 'token_revoked'
      throw new HttpError(401, `${ROUTES[route]} answered 401 (${code})`)
    }
  }

  const issue = (): TokenSet => {
    rotation += 1
    const issuedAt = now()
    return {
      accessToken: unsignedJwt(issuedAt, server.tokenTtlMs),
      refreshToken: `refresh-${rotation}`,
      expiresAt: issuedAt + server.tokenTtlMs,
    }
  }

  const server: StubServer = {
    tokenTtlMs: 60 * MINUTE,
    calls,
    transport: {
      async login(credentials) {
        await answer('login', false)
        if (credentials.username !== 'demo' || credentials.password !== 'demo') {
          throw new HttpError(401, `${ROUTES.login} answered 401 (invalid_credentials)`)
        }
        revoked = false
        return issue()
      },
      async refresh() {
        await answer('refresh', true)
        return issue()
      },
      async validate() {
        await answer('validate', true)
      },
      async logout() {
        await answer('logout', false)
      },
    },
    down: () => {
      isDown = true
    },
    up: () => {
      isDown = false
    },
    revoke: () => {
      revoked = true
    },
    hold: () => {
      holding = true
    },
    release: () => {
      holding = false
      for (const resume of held.splice(0)) resume()
    },
  }
  return server
}
