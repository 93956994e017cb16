// @vitest-environment node
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as axiosEntry from '../../src/axios'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'/g

/** Every module specifier reachable from `entry` through relative imports, type-only ones too. */
function reachableSpecifiers(entry: string, seen = new Set<string>(), found = new Set<string>()) {
  if (seen.has(entry)) return found
  seen.add(entry)
  for (const [, specifier] of readFileSync(entry, 'utf8').matchAll(IMPORT)) {
    if (!specifier?.startsWith('.')) {
      found.add(specifier as string)
      continue
    }
    const base = resolve(dirname(entry), specifier)
    const file = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => {
      try {
        return readFileSync(candidate) !== undefined
      } catch {
        return false
      }
    })
    if (file) reachableSpecifiers(file, seen, found)
  }
  return found
}

describe('package entries', () => {
  it('the core entry never imports axios (an optional peer dependency)', () => {
    const specifiers = reachableSpecifiers(resolve(SRC, 'index.ts'))
    expect(specifiers).toContain('zustand')
    expect([...specifiers].filter((s) => s === 'axios' || s.startsWith('axios/'))).toEqual([])
  })

  it('zustand-auth-session/axios exports the adapter and the error it adds', () => {
    expect(Object.keys(axiosEntry).sort()).toEqual([
      'SessionEndedError',
      'axiosTransport',
      'createAuthClient',
      'isSessionEndedError',
      'parseRetryAfter',
      'readSnakeCaseTokenSet',
      'snakeCaseMapping',
    ])
  })
})
