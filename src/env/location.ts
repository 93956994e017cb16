/**
 * The URL a browser resolves a relative request URL against: the document's base URL (which a
 * `<base href>` changes), as XHR and fetch use. Undefined outside a browser, where a relative
 * URL has nothing to resolve against.
 */
export function documentBaseUrl(): string | undefined {
  if (typeof document !== 'undefined' && typeof document.baseURI === 'string') {
    return document.baseURI
  }
  if (typeof location !== 'undefined' && typeof location.href === 'string') return location.href
  return undefined
}
