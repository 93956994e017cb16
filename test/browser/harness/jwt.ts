import { decodeJwt } from 'jose'

/** The `jti` of an access token the reference backend issued. */
export function jtiOf(token: string): string {
  const { jti } = decodeJwt(token)
  if (typeof jti !== 'string') throw new Error('the token has no jti')
  return jti
}
