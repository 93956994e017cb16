import './setup'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { composeStory } from '@storybook/react-vite'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import * as playgroundStories from '../../stories/Playground.stories'
import type { PlaygroundBackend } from '../../stories/support/playground/backend'

/**
 * The Playground story against a real reference backend (127.0.0.1, free ports), run the way
 * Storybook's dev server runs it (see playgroundBackend.ts): real sockets and real time, so
 * the test waits on the UI and never sleeps. The job is short (5 events, 20 ms apart).
 */
let child: ChildProcess
let backend: PlaygroundBackend

beforeAll(async () => {
  // The store finds the platform's WebSocket when a job first needs it. jsdom's (undici's)
  // cannot dispatch its events in this realm; the `ws` client stands in, as in other Node tests.
  vi.stubGlobal('WebSocket', NodeWebSocket)
  const script = join(dirname(fileURLToPath(import.meta.url)), 'playgroundBackend.ts')
  child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, JOB_INTERVAL_MS: '20', JOB_STEPS: '5' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> })
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the playground backend exited before it listened')
    }),
  ])) as [string]
  backend = JSON.parse(line) as PlaygroundBackend
}, 20_000)

afterAll(async () => {
  vi.unstubAllGlobals()
  if (!child || child.exitCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
})

const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }))
const sessionStatus = () =>
  within(screen.getByRole('region', { name: 'Session' })).getByRole('status')
const log = () => screen.getByRole('list', { name: 'Devtools actions' }).textContent ?? ''

describe('Playground story, live', () => {
  it('signs in, runs a job, rides out an outage and is signed out by a revocation', async () => {
    const Live = composeStory(
      {
        ...playgroundStories.Live,
        args: { backend },
      },
      playgroundStories.default,
    )
    await Live.run()

    click('Log in as demo')
    await waitFor(() => expect(sessionStatus().textContent).toBe('Signed in'))
    expect(screen.getByRole('timer').textContent).toMatch(/^[12]:\d\d$/)
    // What devtools got: the action, and the token already redacted by the library.
    await waitFor(() => expect(log()).toContain('auth/login'))
    expect(log()).toContain('token=eyJ…(redacted)')
    expect(log()).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)

    click('Start a job')
    const job = await within(screen.getByRole('region', { name: 'Jobs' })).findByRole('listitem')
    await waitFor(() => expect(within(job).getByRole('status').textContent).toBe('Connected Done.'))
    expect((within(job).getByRole('progressbar') as HTMLProgressElement).value).toBe(100)

    click('Take server down')
    await screen.findByText(/Server down · Take the server down: done/)
    click('Call GET /api/me')
    await screen.findByText(/GET \/api\/me failed: no answer/)
    click('Bring server up')
    await screen.findByText(/Server up · Bring the server up: done/)
    click('Call GET /api/me')
    await screen.findByText('Server up · GET /api/me: 200 (demo)')

    click('Revoke session')
    await screen.findByText(/Revoke the session: done/)
    click('Call GET /api/me')
    await waitFor(() =>
      expect(sessionStatus().textContent).toBe('Signed out The server ended the session.'),
    )
    await screen.findByText(/GET \/api\/me failed: SessionEndedError/)
  })
})
