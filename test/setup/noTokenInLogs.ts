import { afterAll, expect } from 'vitest'
import { UNREDACTED_JWT } from '../utils/jwt'

/**
 * Security check over the whole suite: everything any test prints to the console (our dev
 * warnings, libraries' errors, React's) is scanned for an unredacted JWT. A token in a log line
 * is a token in somebody's log aggregator.
 */
const leaks: string[] = []
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const

for (const method of methods) {
  const original = console[method].bind(console)
  console[method] = (...args: unknown[]) => {
    const line = args
      .map((arg) =>
        arg instanceof Error
          ? `${arg.message} ${arg.stack ?? ''}`
          : typeof arg === 'string'
            ? arg
            : safeJson(arg),
      )
      .join(' ')
    if (UNREDACTED_JWT.test(line)) leaks.push(`console.${method}: ${line.slice(0, 200)}`)
    original(...args)
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

afterAll(() => {
  expect(leaks, 'unredacted tokens printed to the console').toEqual([])
})
