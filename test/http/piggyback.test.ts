// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/http/createAuthClient'
import { type LiveSession, SECOND, startLiveSession } from '../utils/liveSession'
import { answer, type ProbeServer, startProbeServer } from '../utils/probeServer'

let session: LiveSession
let probe: ProbeServer | undefined
afterEach(async () => {
  await session?.close()
  await probe?.close()
  probe = undefined
})

const validations = () => session.control.counts()['GET /auth/validate'] ?? 0

describe('piggyback validation', () => {
  it('a successful API call since the last tick replaces that tick’s validate()', async () => {
    session = await startLiveSession()
    await session.login()
    await session.advance(60 * SECOND)
    expect(validations()).toBe(1)

    await session.advance(30 * SECOND)
    await session.client.get('/api/me')
    await session.advance(30 * SECOND)
    expect(validations()).toBe(1)

    // No call in this minute: the scheduler asks the server itself again.
    await session.advance(60 * SECOND - 1)
    expect(validations()).toBe(1)
    await session.advance(1)
    expect(validations()).toBe(2)
  })

  it('calls that prove nothing about the session do not count', async () => {
    session = await startLiveSession()
    await session.login()
    probe = await startProbeServer()
    const other = createAuthClient(session.store, { baseURL: session.server.url })
    await session.advance(60 * SECOND)
    expect(validations()).toBe(1)

    // a 2xx from another origin (no token sent), and a 404 with the token, between two ticks
    await session.advance(30 * SECOND)
    await other.get(`${probe.url}/public`)
    await session.client.get('/nowhere').catch(() => undefined)
    await session.advance(30 * SECOND)
    expect(probe.requests[0]?.authorization).toBeUndefined()
    expect(validations()).toBe(2)
  })

  it('a 300 with the token proves nothing either: only a 2xx does', async () => {
    session = await startLiveSession()
    await session.login()
    probe = await startProbeServer(answer(300, '{}'))
    const lenient = createAuthClient(session.store, {
      baseURL: probe.url,
      validateStatus: () => true,
      maxRedirects: 0,
    })
    await session.advance(60 * SECOND)
    expect(validations()).toBe(1)

    await session.advance(30 * SECOND)
    expect((await lenient.get('/choices')).status).toBe(300)
    await session.advance(30 * SECOND)
    expect(probe.requests[0]?.authorization).toBe(`Bearer ${session.store.getState().token}`)
    expect(validations()).toBe(2)
  })

  it('with validateStatus accepting everything, only a 2xx counts, not a 404', async () => {
    session = await startLiveSession()
    await session.login()
    const lenient = createAuthClient(session.store, {
      baseURL: session.server.url,
      validateStatus: () => true,
      maxRedirects: 0,
    })
    await session.advance(60 * SECOND)
    expect(validations()).toBe(1)

    await session.advance(30 * SECOND)
    const missing = await lenient.get('/nowhere')
    expect(missing.status).toBe(404)
    await session.advance(30 * SECOND)
    expect(validations()).toBe(2)

    await session.advance(30 * SECOND)
    await lenient.get('/api/me')
    await session.advance(30 * SECOND)
    expect(validations()).toBe(2)
  })
})
