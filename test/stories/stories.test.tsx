import './setup'
import { composeStories } from '@storybook/react-vite'
import { screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as jobsPanelStories from '../../stories/JobsPanel.stories'
import * as playgroundStories from '../../stories/Playground.stories'
import * as sessionStatusStories from '../../stories/SessionStatus.stories'

/**
 * Every story, rendered as Storybook renders it (loaders, decorators, play), must show its
 * state: a change that breaks a state breaks its test. The stories' time is their own story
 * clock; real timers are faked so nothing here can depend on time passing.
 */

const sessionStatus = composeStories(sessionStatusStories)
const jobsPanel = composeStories(jobsPanelStories)

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const statusLine = () => screen.getByRole('status')
const countdown = () => screen.queryByRole('timer')
const sessionError = () => document.querySelector('[data-part="error"]')?.textContent ?? null

type Check = () => void

const sessionExpectations: Record<keyof typeof sessionStatus, Check> = {
  SignedOut() {
    expect(statusLine()).toHaveProperty('textContent', 'Signed out You signed out.')
    expect(countdown()).toBeNull()
    expect(sessionError()).toBeNull()
  },
  Authenticated() {
    expect(statusLine()).toHaveProperty('textContent', 'Signed in')
    expect(countdown()?.textContent).toBe('47:30')
    expect(sessionError()).toBeNull()
  },
  ExpiringSoon() {
    expect(statusLine()).toHaveProperty('textContent', 'Signed in Expires soon.')
    expect(countdown()?.textContent).toBe('4:45')
  },
  Refreshing() {
    expect(statusLine()).toHaveProperty('textContent', 'Refreshing session… Expires soon.')
    expect(countdown()?.textContent).toBe('4:57')
    expect(sessionError()).toBeNull()
  },
  RetryingAfterNetworkError() {
    expect(statusLine()).toHaveProperty('textContent', 'Connection problem, retrying Expires soon.')
    expect(countdown()?.textContent).toBe('4:59')
    expect(sessionError()).toBe(
      'No answer from the server: POST /auth/refresh got no answer: connect ECONNREFUSED',
    )
  },
  ServerDownPastExpiry() {
    expect(statusLine()).toHaveProperty(
      'textContent',
      'Connection problem, retrying The access token has expired.',
    )
    expect(screen.getByText(/^Expired/).textContent).toBe('Expired 1:00 ago')
    expect(sessionError()).toMatch(/^No answer from the server: POST \/auth\/refresh/)
  },
  SignedOutByServer() {
    expect(statusLine()).toHaveProperty('textContent', 'Signed out The server ended the session.')
    expect(countdown()).toBeNull()
    expect(sessionError()).toBe(
      'The server refused the session (HTTP 401): POST /auth/refresh answered 401 (invalid_grant)',
    )
  },
  SignedOutIdle() {
    expect(statusLine()).toHaveProperty(
      'textContent',
      'Signed out Signed out after a period of inactivity.',
    )
    expect(countdown()).toBeNull()
    expect(sessionError()).toBeNull()
  },
}

const job = () => screen.getByRole('listitem')
const jobProgress = () =>
  screen.getByRole('progressbar', { name: 'nightly-import progress' }) as HTMLProgressElement
const jobStatus = () => within(job()).getByRole('status').textContent
const jobAttempts = () => job().querySelector('[data-part="attempts"]')?.textContent
const jobError = () => job().querySelector('[data-part="error"]')?.textContent ?? null

const jobsExpectations: Record<keyof typeof jobsPanel, Check> = {
  Connecting() {
    expect(jobStatus()).toBe('Connecting…')
    expect(jobProgress().hasAttribute('value')).toBe(false)
    expect(jobAttempts()).toBe('Reconnect attempts: 0')
  },
  Open() {
    expect(jobStatus()).toBe('Connected')
    expect(jobProgress().value).toBe(42)
    expect(jobAttempts()).toBe('Reconnect attempts: 0')
    expect(jobError()).toBeNull()
  },
  ReconnectingAfterTokenRefresh() {
    expect(jobStatus()).toBe('Reconnecting…')
    expect(jobProgress().value).toBe(30)
    expect(jobAttempts()).toBe('Reconnect attempts: 1')
    expect(jobError()).toBe('Last error: WebSocket closed with code 4401 (token expired)')
  },
  Failed() {
    expect(jobStatus()).toBe('Failed: retried with the next token or sign-in')
    expect(jobProgress().value).toBe(64)
    expect(jobAttempts()).toBe('Reconnect attempts: 3')
    expect(jobError()).toBe('Last error: WebSocket closed with code 1006')
  },
}

const cases = [
  ['SessionStatus', sessionStatus, sessionExpectations],
  ['JobsPanel', jobsPanel, jobsExpectations],
] as const

describe.each(cases)('%s stories', (_title, stories, expectations) => {
  it('has an expectation for every story, and nothing else', () => {
    expect(Object.keys(expectations).sort()).toEqual(Object.keys(stories).sort())
  })

  it.each(Object.entries(stories))('%s shows its state', async (name, Story) => {
    const check: Check | undefined = (expectations as Record<string, Check>)[name]
    if (!check) throw new Error(`no expectation for the story ${name}`)
    await Story.run()
    check()
  })

  it.each(Object.entries(stories))('%s says what the user sees and what comes next', (_, Story) => {
    const description: unknown = Story.parameters.docs?.description?.story
    expect(description).toMatch(/What the user sees:.+\n\n.*What the store does next:.+/s)
  })
})

describe('Playground story', () => {
  it('without a backend (a static build) says how to get one', async () => {
    const { Live } = composeStories(playgroundStories)
    await Live.run()
    expect(screen.getByRole('status').textContent).toContain('npm start')
    expect(screen.queryByRole('button')).toBeNull()
  })
})
