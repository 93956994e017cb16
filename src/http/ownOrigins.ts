import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios'
import { documentBaseUrl } from '../env/location'

/** Decides which requests may carry the access token: only those to the app's own origins. */
export interface OwnOrigins {
  /** True when the request will go to one of the own origins. Fails closed: unsure means no. */
  includes(config: InternalAxiosRequestConfig): boolean
}

/**
 * The origins are compared exactly (scheme, host and port), after resolving the request URL
 * the way axios will: `getUri` applies `baseURL` (a per-request one included),
 * `allowAbsoluteUrls` and axios' own absolute-URL test, and a browser then resolves what is
 * left against the document's base URL. So `//evil.com`, `https://evil.com` and a
 * `baseURL: 'https://evil.com'` override all land on evil.com here too, and get no token.
 */
export function createOwnOrigins(
  client: AxiosInstance,
  baseURL: string,
  allowedOrigins: readonly string[] = [],
): OwnOrigins {
  const origins = new Set<string>()
  for (const url of [baseURL, ...allowedOrigins]) {
    const origin = originOf(url, documentBaseUrl())
    if (origin === undefined) {
      throw new TypeError(
        `[zustand-auth-session] cannot tell the origin of ${JSON.stringify(url)}: give an absolute http(s) URL`,
      )
    }
    origins.add(origin)
  }
  return {
    includes(config) {
      let uri: string
      try {
        uri = client.getUri(config)
      } catch {
        return false
      }
      const origin = originOf(uri, documentBaseUrl())
      // Stryker disable next-line ConditionalExpression: the set holds strings only, so has(undefined) is false too
      return origin !== undefined && origins.has(origin)
    },
  }
}

/** `https://host:port` of an http(s) URL; undefined for anything else (opaque origins never match). */
function originOf(url: string, base: string | undefined): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url, base)
  } catch {
    return undefined
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined
}
