import { createRequire } from 'node:module'

/** The part of jsdom used here (the repository has jsdom, not @types/jsdom). */
interface JsdomWindow extends Record<string, unknown> {
  document: unknown
  navigator: unknown
  close(): void
}
type JsdomConstructor = new (
  html: string,
  options: { url: string; pretendToBeVisual: boolean },
) => { window: JsdomWindow }
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: JsdomConstructor }

/**
 * A jsdom window as the globals React and @testing-library/react expect, for a Node process
 * (vitest's `environment: 'jsdom'` does the same). Returns a function that removes them again,
 * so the other sections of `npm run bench` still run without a DOM.
 */
export function installJsdomGlobals(): () => void {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', {
    url: 'http://localhost/',
    pretendToBeVisual: true,
  })
  const globals: Record<string, unknown> = {
    window: dom.window,
    document: dom.window.document,
    navigator: dom.window.navigator,
    HTMLElement: dom.window.HTMLElement,
    Node: dom.window.Node,
    // React's act() warns unless it knows it runs in a test-like environment.
    IS_REACT_ACT_ENVIRONMENT: true,
  }
  const target = globalThis as Record<string, unknown>
  const previous = new Map<string, PropertyDescriptor | undefined>()
  for (const [name, value] of Object.entries(globals)) {
    previous.set(name, Object.getOwnPropertyDescriptor(target, name))
    Object.defineProperty(target, name, { value, configurable: true, writable: true })
  }
  return () => {
    for (const [name, descriptor] of previous) {
      if (descriptor) Object.defineProperty(target, name, descriptor)
      else delete target[name]
    }
    dom.window.close()
  }
}
