/**
 * Unsigned JWTs for unit tests: the store only decodes tokens, the server verifies them.
 * (The reference backend in test/server signs real ones for the integration tests.)
 */
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function makeJwt(claims: Record<string, unknown>): string {
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}.c2lnbmF0dXJl`
}

let counter = 0

/** A token issued at `nowMs` (server clock) that lives `ttlMs`. */
export function tokenAt(nowMs: number, ttlMs = 60 * 60_000): string {
  counter += 1
  const iat = Math.floor(nowMs / 1000)
  return makeJwt({ sub: 'demo', iat, exp: iat + Math.floor(ttlMs / 1000), jti: `t${counter}` })
}

/** An unredacted JWT anywhere in a text: what the security checks look for. */
export const UNREDACTED_JWT = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/
