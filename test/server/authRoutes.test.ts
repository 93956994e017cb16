// @vitest-environment node
import { afterEach, describe, expect, test } from 'vitest'
import {
  type ReferenceServer,
  type ReferenceServerOptions,
  startReferenceServer,
} from './referenceServer'
import {
  claimsOf,
  getWithBearer,
  login,
  postJson,
  refresh,
  refreshCookieOf,
  type TokenResponse,
  validateStatus,
} from './serverTestKit'

// A whole second, so JWT seconds and the millisecond clock line up exactly.
const START_MS = Date.parse('2030-01-01T00:00:00Z')
const MINUTE_MS = 60_000

let server: ReferenceServer
let nowMs = START_MS

async function start(options: ReferenceServerOptions = {}) {
  nowMs = START_MS
  server = await startReferenceServer({ now: () => nowMs, ...options })
  return server
}

afterEach(async () => {
  await server?.close()
})

describe('POST /auth/login', () => {
  test('issues a Bearer pair with the claims and the httpOnly refresh cookie', async () => {
    await start()
    const response = await postJson(`${server.url}/auth/login`, {
      username: 'demo',
      password: 'demo',
    })

    expect(response.status).toBe(200)
    const body = (await response.json()) as TokenResponse
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 })
    expect(body.refresh_token).toEqual(expect.any(String))
    const claims = claimsOf(body.access_token)
    expect(claims).toMatchObject({ sub: 'demo', iat: START_MS / 1000, exp: START_MS / 1000 + 3600 })
    expect(claims.sid).toEqual(expect.any(String))
    expect(claims.jti).toEqual(expect.any(String))
    const cookie = response.headers.getSetCookie()[0]
    expect(cookie).toContain(`refresh_token=${body.refresh_token}`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('Path=/auth')
    expect(cookie).toContain('SameSite=Strict')
  })

  test('rejects a wrong password with 401 invalid_credentials', async () => {
    await start()
    const response = await postJson(`${server.url}/auth/login`, { username: 'demo', password: 'x' })

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_credentials' })
  })

  test('answers a body that is not JSON with 400', async () => {
    await start()
    const response = await fetch(`${server.url}/auth/login`, { method: 'POST', body: '{nope' })

    expect(response.status).toBe(400)
  })
})

describe('POST /auth/refresh', () => {
  test('rotates: a new pair in the same session, and the new refresh token works once more', async () => {
    await start()
    const first = await login(server)

    const response = await refresh(server, first.refresh_token)
    expect(response.status).toBe(200)
    const second = (await response.json()) as TokenResponse
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(claimsOf(second.access_token).sid).toBe(claimsOf(first.access_token).sid)
    expect(claimsOf(second.access_token).jti).not.toBe(claimsOf(first.access_token).jti)
    expect(refreshCookieOf(response)).toBe(`refresh_token=${second.refresh_token}`)
    expect((await refresh(server, second.refresh_token)).status).toBe(200)
  })

  test('reuse of a rotated refresh token revokes the whole family', async () => {
    await start()
    const first = await login(server)
    const second = (await (await refresh(server, first.refresh_token)).json()) as TokenResponse

    const reuse = await refresh(server, first.refresh_token)

    expect(reuse.status).toBe(401)
    expect(await reuse.json()).toEqual({ error: 'refresh_token_reused' })
    expect((await refresh(server, second.refresh_token)).status).toBe(401)
    expect(await validateStatus(server, second.access_token)).toBe(401)
    expect(await validateStatus(server, first.access_token)).toBe(401)
    expect(server.control.counts()['refresh:reuse']).toBe(1)
  })

  test('reads the refresh token from the cookie when the body has none', async () => {
    await start()
    const loginResponse = await postJson(`${server.url}/auth/login`, {
      username: 'demo',
      password: 'demo',
    })
    const cookie = refreshCookieOf(loginResponse) as string

    const response = await fetch(`${server.url}/auth/refresh`, {
      method: 'POST',
      headers: { cookie },
    })

    expect(response.status).toBe(200)
    const rotatedCookie = refreshCookieOf(response)
    expect(rotatedCookie).toBe(
      `refresh_token=${((await response.json()) as TokenResponse).refresh_token}`,
    )
    expect(rotatedCookie).not.toBe(cookie)
  })

  test('a refresh token left unused for the idle TTL is dead', async () => {
    await start({ refreshTokenIdleTtlMs: 10 * MINUTE_MS })
    const first = await login(server)

    nowMs += 10 * MINUTE_MS - 1
    const response = await refresh(server, first.refresh_token)
    expect(response.status).toBe(200)
    const second = (await response.json()) as TokenResponse

    nowMs += 10 * MINUTE_MS
    const expired = await refresh(server, second.refresh_token)
    expect(expired.status).toBe(401)
    expect(await expired.json()).toEqual({ error: 'refresh_token_expired' })
  })

  test('a call with a valid access token restarts the idle clock: the user was at work', async () => {
    await start({ refreshTokenIdleTtlMs: 10 * MINUTE_MS, accessTokenTtlMs: 60 * MINUTE_MS })
    const first = await login(server)
    nowMs += 8 * MINUTE_MS
    const validated = await fetch(`${server.url}/auth/validate`, {
      headers: { authorization: `Bearer ${first.access_token}` },
    })
    expect(validated.status).toBe(200)
    nowMs += 8 * MINUTE_MS // 16 minutes after the rotation, 8 after the last use
    expect((await refresh(server, first.refresh_token)).status).toBe(200)
  })

  test('rejects unknown and missing refresh tokens with 401', async () => {
    await start()

    expect((await refresh(server, 'not-a-token')).status).toBe(401)
    expect((await postJson(`${server.url}/auth/refresh`, {})).status).toBe(401)
  })
})

describe('GET /auth/validate and /api/me', () => {
  test('accept a live access token', async () => {
    await start()
    const tokens = await login(server)

    const validate = await getWithBearer(server, '/auth/validate', tokens.access_token)
    expect(validate.status).toBe(200)
    expect(await validate.json()).toEqual({ sub: 'demo', exp: claimsOf(tokens.access_token).exp })
    const me = await getWithBearer(server, '/api/me', tokens.access_token)
    expect(me.status).toBe(200)
    expect(await me.json()).toEqual({ username: 'demo' })
  })

  test('reject a missing or tampered token with 401 and WWW-Authenticate', async () => {
    await start()
    const tokens = await login(server)
    const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string]
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'root' }),
    ).toString('base64url')
    const tampered = `${header}.${forged}.${signature}`

    const missing = await fetch(`${server.url}/api/me`)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Bearer')
    const rejected = await getWithBearer(server, '/auth/validate', tampered)
    expect(rejected.status).toBe(401)
    expect(rejected.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  test('reject a token signed by another server instance', async () => {
    await start()
    const other = await startReferenceServer()
    try {
      const foreign = await login(other)
      expect(await validateStatus(server, foreign.access_token)).toBe(401)
    } finally {
      await other.close()
    }
  })

  test('expire access tokens by the server clock, to the millisecond', async () => {
    await start({ accessTokenTtlMs: MINUTE_MS })
    const tokens = await login(server)

    nowMs += MINUTE_MS - 1
    expect(await validateStatus(server, tokens.access_token)).toBe(200)
    nowMs += 1
    const response = await getWithBearer(server, '/auth/validate', tokens.access_token)
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'token_expired' })
  })
})

describe('POST /auth/logout', () => {
  test('with a Bearer token: 204, cookie cleared, the session revoked', async () => {
    await start()
    const tokens = await login(server)

    const response = await postJson(
      `${server.url}/auth/logout`,
      {},
      {
        authorization: `Bearer ${tokens.access_token}`,
      },
    )

    expect(response.status).toBe(204)
    expect(response.headers.getSetCookie()[0]).toMatch(/^refresh_token=;.*Max-Age=0/)
    expect(await validateStatus(server, tokens.access_token)).toBe(401)
    expect((await refresh(server, tokens.refresh_token)).status).toBe(401)
  })

  test('with only the refresh cookie: the session revoked too', async () => {
    await start()
    const loginResponse = await postJson(`${server.url}/auth/login`, {
      username: 'demo',
      password: 'demo',
    })
    const tokens = (await loginResponse.json()) as TokenResponse
    const cookie = refreshCookieOf(loginResponse) as string

    const response = await fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { cookie },
    })

    expect(response.status).toBe(204)
    expect(await validateStatus(server, tokens.access_token)).toBe(401)
  })
})

describe('server clock', () => {
  test('iat and exp follow the configured offset and setClockOffset', async () => {
    await start({ clockOffsetMs: -5 * MINUTE_MS, accessTokenTtlMs: MINUTE_MS })
    const skewed = await login(server)
    expect(claimsOf(skewed.access_token).iat).toBe((START_MS - 5 * MINUTE_MS) / 1000)

    server.control.setClockOffset(2 * MINUTE_MS)
    const ahead = await login(server)
    expect(claimsOf(ahead.access_token)).toMatchObject({
      iat: (START_MS + 2 * MINUTE_MS) / 1000,
      exp: (START_MS + 3 * MINUTE_MS) / 1000,
    })
    // Judged by the server's clock, the token minted 5 minutes "ago" is long expired.
    expect(await validateStatus(server, skewed.access_token)).toBe(401)
  })

  test('judges expiry by the server clock even when it runs behind real time', async () => {
    const past = Date.parse('2001-01-01T00:00:00Z')
    server = await startReferenceServer({ now: () => past, accessTokenTtlMs: MINUTE_MS })
    const tokens = await login(server)

    expect(await validateStatus(server, tokens.access_token)).toBe(200)
  })
})

describe('control', () => {
  test('revokeSession(sid) kills one session; revokeSession() kills them all', async () => {
    await start()
    const first = await login(server)
    const second = await login(server)

    server.control.revokeSession(claimsOf(first.access_token).sid)
    expect(await validateStatus(server, first.access_token)).toBe(401)
    expect((await getWithBearer(server, '/api/me', first.access_token)).status).toBe(401)
    expect((await refresh(server, first.refresh_token)).status).toBe(401)
    expect(await validateStatus(server, second.access_token)).toBe(200)

    server.control.revokeSession()
    expect(await validateStatus(server, second.access_token)).toBe(401)
  })

  test('expireTokensNow expires access tokens issued so far, not refresh tokens', async () => {
    await start()
    const tokens = await login(server)

    server.control.expireTokensNow()

    const response = await getWithBearer(server, '/auth/validate', tokens.access_token)
    expect(await response.json()).toEqual({ error: 'token_expired' })
    const renewed = (await (await refresh(server, tokens.refresh_token)).json()) as TokenResponse
    expect(await validateStatus(server, renewed.access_token)).toBe(200)
  })
})
