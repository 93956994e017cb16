import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { act, render, screen } from '@testing-library/react'
import type { AxiosInstance } from 'axios'
import type { ReactElement } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthStore } from '../../src/createAuthStore'

/**
 * The README's usage example, run as written: the block is cut out of README.md, its API
 * address pointed at the reference backend (the only change), and imported like an app would.
 * The backend runs as `npm run server` does, in its own process: inside jsdom, jose cannot sign.
 */
const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const EXAMPLE_ADDRESS = "const API = 'https://api.example.com'"

function usageExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const marker = readme.indexOf('<!-- usage-example')
  const start = readme.indexOf('```tsx\n', marker)
  const end = readme.indexOf('\n```', start + 7)
  if (marker < 0 || start < 0 || end < 0) throw new Error('README.md has no usage example block')
  return readme.slice(start + 7, end + 1)
}

interface UsageExample {
  useAuthStore: AuthStore
  api: AxiosInstance
  SessionBadge: () => ReactElement
}

let server: ChildProcess
let apiUrl: string

beforeAll(async () => {
  server = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/server/cli.ts')], {
    env: { ...process.env, PORT: '0', CORS_ORIGINS: '*' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: server.stdout as NonNullable<typeof server.stdout> })
  const [line] = (await once(lines, 'line')) as [string]
  apiUrl = line.trim()
}, 20_000)

afterAll(async () => {
  if (server.exitCode !== null) return
  const exited = once(server, 'exit')
  server.kill('SIGTERM')
  await exited
})

describe('README usage example', () => {
  it('has its block, with the API address the test replaces', () => {
    expect(usageExample()).toContain(EXAMPLE_ADDRESS)
    expect(usageExample().split('\n').length).toBeLessThanOrEqual(30)
  })

  it('runs as written: signs in, shows the badge, calls the API, signs out', async () => {
    const source = usageExample().replace(EXAMPLE_ADDRESS, `const API = '${apiUrl}'`)
    const generated = join(here, '__generated__')
    mkdirSync(generated, { recursive: true })
    const modulePath = join(generated, 'usageExample.tsx')
    writeFileSync(modulePath, source)
    const example = (await import(/* @vite-ignore */ modulePath)) as UsageExample
    render(<example.SessionBadge />)
    expect(screen.getByRole('status').textContent).toBe('Signed out')

    await act(() => example.useAuthStore.getState().login({ username: 'demo', password: 'demo' }))
    expect(screen.getByRole('status').textContent).toBe('Signed in (authenticated)')

    const me = await example.api.get('/api/me')
    expect(me.data).toEqual({ username: 'demo' })

    await act(() => example.useAuthStore.getState().logout())
    expect(screen.getByRole('status').textContent).toBe('Signed out')
    example.useAuthStore.dispose()
  })
})
