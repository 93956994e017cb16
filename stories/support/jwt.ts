/**
 * Unsigned JWTs for stories: the store only decodes tokens (the server verifies them), so a
 * story needs no keys. Browser-safe: no Buffer.
 */
const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

let issued = 0

/** A token issued at `nowMs` that lives `ttlMs`. */
export function unsignedJwt(nowMs: number, ttlMs: number): string {
  issued += 1
  const iat = Math.floor(nowMs / 1000)
  const claims = { sub: 'demo', iat, exp: iat + Math.floor(ttlMs / 1000), jti: `story-${issued}` }
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`
}
