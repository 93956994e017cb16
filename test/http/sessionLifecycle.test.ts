// @vitest-environment node
import axios from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { type LiveSession, MINUTE, startLiveSession } from '../utils/liveSession'

let session: LiveSession
afterEach(async () => {
  await session?.close()
})

/** Ten-minute tokens: the 5-minute refresh window opens five minutes after each refresh. */
const start = () => startLiveSession({ server: { accessTokenTtlMs: 10 * MINUTE } })

describe('a session against the reference backend', () => {
  it('login → validate → refresh with rotation → logout', async () => {
    session = await start()
    const { store, control } = session
    await session.login()
    const first = store.getState()
    expect(first).toMatchObject({ status: 'authenticated', signOutReason: null })
    expect(first.expiresAt).toBe(session.time.now() + 10 * MINUTE)

    await session.advance(4 * MINUTE)
    expect(control.counts()['GET /auth/validate']).toBe(4)
    expect(session.refreshCount()).toBe(0)

    await session.advance(MINUTE)
    expect(session.refreshCount()).toBe(1)
    const second = store.getState()
    expect(second.token).not.toBe(first.token)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.expiresAt).toBe(session.time.now() + 10 * MINUTE)
    expect(control.counts()['GET /auth/validate']).toBe(4)
    expect((await session.client.get('/api/me')).data).toEqual({ username: 'demo' })

    await store.getState().logout()
    expect(control.counts()['POST /auth/logout']).toBe(1)
    expect(store.getState()).toMatchObject({ status: 'signedOut', signOutReason: 'user' })
    // The server ended the session too: its last refresh token is dead.
    const replay = await axios.post(
      `${session.server.url}/auth/refresh`,
      { refresh_token: second.refreshToken },
      { validateStatus: () => true },
    )
    expect(replay.status).toBe(401)
    expect(session.signOuts).toEqual(['user'])
  })

  it('refresh-token reuse revokes the family: the store signs out with "unauthorized"', async () => {
    session = await start()
    const { store, control } = session
    await session.login()
    const stolen = store.getState().refreshToken
    await session.advance(5 * MINUTE)
    expect(session.refreshCount()).toBe(1)

    // Someone else presents the retired token: the server revokes the whole family.
    const attacker = await axios.post(
      `${session.server.url}/auth/refresh`,
      { refresh_token: stolen },
      { validateStatus: () => true },
    )
    expect(attacker.data).toEqual({ error: 'refresh_token_reused' })
    expect(control.counts()['refresh:reuse']).toBe(1)
    expect(store.getState().status).toBe('authenticated')

    // The tick after a refresh does not validate (the token is brand new); the next one's
    // validate hears of it (401), the refresh token confirms it at once (401): sign-out in that
    // same tick, no retries.
    await session.advance(MINUTE)
    expect(store.getState().status).toBe('authenticated')
    await session.advance(MINUTE)
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      signOutReason: 'unauthorized',
      token: null,
      error: { kind: 'unauthorized', status: 401 },
    })
    expect(store.getState().error?.message).toMatch(/^POST \/auth\/refresh answered 401/)
    // the store's rotation, the attacker's replay, and the store's one confirming attempt
    expect(session.refreshCount()).toBe(3)
    expect(session.signOuts).toEqual(['unauthorized'])
  })
})
