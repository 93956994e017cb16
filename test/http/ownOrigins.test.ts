// @vitest-environment node
import axios, { type AxiosAdapter, type AxiosError, isAxiosError } from 'axios'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient } from '../../src/http/createAuthClient'
import { createTestStore } from '../utils/createTestStore'
import { createFakeTransport } from '../utils/fakeTransport'
import { tokenAt } from '../utils/jwt'
import { type ProbeServer, startProbeServer } from '../utils/probeServer'

/** `own` is the app's API; `other` a foreign origin that must never see the token. */
let own: ProbeServer
let other: ProbeServer
beforeEach(async () => {
  own = await startProbeServer()
  other = await startProbeServer()
})
afterEach(async () => {
  vi.unstubAllGlobals()
  await own.close()
  await other.close()
})

async function signedInClient(options: { allowedOrigins?: string[]; adapter?: AxiosAdapter } = {}) {
  const { store } = createTestStore({ autoStart: false })
  await store.getState().login(tokenAt(Date.now()))
  const client = createAuthClient(store, { baseURL: `${own.url}/api`, ...options })
  return { store, client, bearer: `Bearer ${store.getState().token}` }
}

const authorizations = (probe: ProbeServer) => probe.requests.map((r) => r.authorization)

/**
 * A page's client with a relative `baseURL`: each request goes where the page's XHR would send
 * it, resolved against `pageBase` (Node's adapter cannot send a relative URL).
 */
async function pageClient(baseURL: string, pageBase: string) {
  const { store } = createTestStore({ autoStart: false })
  await store.getState().login(tokenAt(Date.now()))
  const http = axios.getAdapter('http')
  const client = createAuthClient(store, {
    baseURL,
    adapter: (config) =>
      http({ ...config, baseURL: undefined, url: new URL(client.getUri(config), pageBase).href }),
  })
  return { client, bearer: `Bearer ${store.getState().token}` }
}

const received = (probe: ProbeServer) => probe.requests.map((r) => [r.url, r.authorization])

describe('the token goes to own origins only', () => {
  it('relative and absolute URLs to the own origin carry it', async () => {
    const { client, bearer } = await signedInClient()
    await client.get('/me')
    await client.get(`${own.url}/elsewhere`)
    expect(own.requests.map((r) => r.url)).toEqual(['/api/me', '/elsewhere'])
    expect(authorizations(own)).toEqual([bearer, bearer])
  })

  it('an absolute URL to another origin does not', async () => {
    const { client } = await signedInClient()
    await client.get(`${other.url}/collect`)
    expect(authorizations(other)).toEqual([undefined])
  })

  it('a per-request baseURL override to another origin does not', async () => {
    const { client } = await signedInClient()
    await client.get('/collect', { baseURL: other.url })
    expect(other.requests.map((r) => r.url)).toEqual(['/collect'])
    expect(authorizations(other)).toEqual([undefined])
  })

  it('a redirect from the own origin to another does not carry it across', async () => {
    const { client, bearer } = await signedInClient()
    own.setHandler((_request, res) => {
      res.writeHead(302, { location: `${other.url}/landing` })
      res.end()
    })
    await client.get('/moved')
    expect(authorizations(own)).toEqual([bearer])
    expect(other.requests.map((r) => r.url)).toEqual(['/landing'])
    expect(authorizations(other)).toEqual([undefined])
  })

  it('the same port on another host name is another origin', async () => {
    const { client } = await signedInClient()
    await client.get(`http://localhost:${own.port}/api/me`)
    expect(authorizations(own)).toEqual([undefined])
  })

  it('allowAbsoluteUrls: false sends an absolute URL to the own origin, and the token with it', async () => {
    const { client, bearer } = await signedInClient()
    await client.get(`${other.url}/x`, { allowAbsoluteUrls: false })
    expect(other.requests).toEqual([])
    expect(authorizations(own)).toEqual([bearer])
  })

  it('allowedOrigins extends the own origins', async () => {
    const { client, bearer } = await signedInClient({ allowedOrigins: [`${other.url}/`] })
    await client.get(`${other.url}/partner`)
    expect(authorizations(other)).toEqual([bearer])
  })

  it('a protocol-relative URL resolves against the page, as in a browser', async () => {
    // Node's adapter cannot send `//host/path`; a browser resolves it against the page. Emulate
    // that: a page served from the own origin, and an adapter that resolves like XHR does.
    vi.stubGlobal('location', { href: `${own.url}/app/index.html` })
    const http = axios.getAdapter('http')
    const { client, bearer } = await signedInClient({
      adapter: (config) =>
        http({
          ...config,
          baseURL: undefined,
          url: new URL(client.getUri(config), location.href).href,
        }),
    })
    await client.get(`//127.0.0.1:${other.port}/collect`)
    await client.get(`//127.0.0.1:${own.port}/api/me`)
    expect(authorizations(other)).toEqual([undefined])
    expect(authorizations(own)).toEqual([bearer])
  })

  it('a request whose URL cannot be built fails without the token: unsure means no', async () => {
    // A page on the own origin: a URL that cannot be read must not fall back to the page's.
    vi.stubGlobal('location', { href: `${own.url}/app/index.html` })
    const { client } = await signedInClient()
    const refuse = () => {
      throw new Error('cannot serialize these params')
    }
    const error = await client
      .get('/me', { params: { q: 1 }, paramsSerializer: { serialize: refuse } })
      .catch((e: unknown) => e)
    expect(own.requests).toEqual([])
    // What an app logs: the failed request's config, which would hold the header.
    expect(isAxiosError(error)).toBe(true)
    expect((error as AxiosError).message).toBe('cannot serialize these params')
    expect((error as AxiosError).config?.headers.get('Authorization')).toBeUndefined()
  })

  it('an Authorization header the caller set is left alone', async () => {
    const { client } = await signedInClient()
    await client.get('/me', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } })
    expect(authorizations(own)).toEqual(['Basic dXNlcjpwYXNz'])
  })

  it('a call made while a refresh is under way waits for it and carries the new token', async () => {
    const fake = createFakeTransport()
    const { store } = createTestStore({ autoStart: false, fake })
    await store.getState().login(tokenAt(Date.now()))
    const client = createAuthClient(store, { baseURL: `${own.url}/api` })
    fake.holdResponses(true)
    const refreshing = store.getState().refresh()
    // Sent at once, it would carry the old token (the probe answers 200: no retry to hide it).
    const call = client.get('/me')
    fake.holdResponses(false)
    await refreshing
    await call
    expect(authorizations(own)).toEqual([`Bearer ${fake.issued[0]}`])
  })

  it('signed out, nothing is attached', async () => {
    const { client, store } = await signedInClient()
    await store.getState().logout()
    await client.get('/me')
    expect(authorizations(own)).toEqual([undefined])
  })

  it('neither the global axios nor the given instance is changed', async () => {
    const base = axios.create({ headers: { 'X-App': 'demo' } })
    const { store } = createTestStore({ autoStart: false })
    await store.getState().login(tokenAt(Date.now()))
    const client = createAuthClient(store, { baseURL: own.url, axiosInstance: base })
    await client.get('/a')
    await base.get(`${own.url}/b`)
    await axios.get(`${own.url}/c`)
    expect(own.requests.map((r) => [r.url, r.authorization])).toEqual([
      ['/a', `Bearer ${store.getState().token}`],
      ['/b', undefined],
      ['/c', undefined],
    ])
    expect(client.defaults.headers['X-App']).toBe('demo')
  })

  it('refuses a baseURL or allowed origin it cannot resolve', () => {
    const { store } = createTestStore({ autoStart: false })
    expect(() => createAuthClient(store, { baseURL: '/api' })).toThrow(TypeError)
    expect(() =>
      createAuthClient(store, { baseURL: own.url, allowedOrigins: ['not a url'] }),
    ).toThrow(/origin/)
  })

  it('refuses an origin that is not http(s): ws: is the socket’s, file: has an opaque one', () => {
    const { store } = createTestStore({ autoStart: false })
    expect(() => createAuthClient(store, { baseURL: 'ws://127.0.0.1:8080' })).toThrow(
      /absolute http\(s\) URL/,
    )
    expect(() =>
      createAuthClient(store, { baseURL: own.url, allowedOrigins: ['file:///srv/app/'] }),
    ).toThrow(/absolute http\(s\) URL/)
  })
})

describe('a relative URL resolves as the page resolves it', () => {
  it("against the document's base URL (a <base href>), not the page's address", async () => {
    vi.stubGlobal('location', { href: `${other.url}/app/index.html` })
    vi.stubGlobal('document', { baseURI: `${own.url}/` })
    const { client, bearer } = await pageClient('/api', `${own.url}/`)
    await client.get('/me')
    await client.get(`${other.url}/collect`)
    expect(received(own)).toEqual([['/api/me', bearer]])
    expect(received(other)).toEqual([['/collect', undefined]])
  })

  it("against the page's address when the document has no baseURI (an older DOM)", async () => {
    vi.stubGlobal('location', { href: `${own.url}/app/index.html` })
    vi.stubGlobal('document', {})
    const { client, bearer } = await pageClient('/api', `${own.url}/app/index.html`)
    await client.get('/me')
    expect(received(own)).toEqual([['/api/me', bearer]])
  })

  it('a location whose href is not a string (a server-side shim) is no base: absolute URLs still work', async () => {
    vi.stubGlobal('location', { href: null })
    const { client, bearer } = await signedInClient()
    await client.get('/me')
    expect(received(own)).toEqual([['/api/me', bearer]])
  })
})
