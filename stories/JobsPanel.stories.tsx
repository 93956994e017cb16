import type { Meta, StoryObj } from '@storybook/react-vite'
import { JobsPanel } from '../src/react/JobsPanel'
import { socketOf } from './support/scenarios'
import { SECOND } from './support/storyClock'
import { storyDocs } from './support/storyDocs'
import {
  authStore,
  disposeAuthStore,
  harnessOf,
  loadAuthStore,
  withAuthStore,
} from './support/withAuthStore'

const JOB = 'nightly-import'

/**
 * A signed-in store whose jobs slice opens sockets of a fake WebSocket class; the story plays
 * the server side in `play` (after the panel has subscribed): accepts the socket, sends
 * progress, closes it. Reconnect delays are exact (1 s, 2 s, 4 s …) and move on the story clock.
 */
const meta = {
  component: JobsPanel,
  args: { jobNames: [JOB] },
  decorators: [withAuthStore],
  loaders: [loadAuthStore],
  beforeEach: disposeAuthStore,
  parameters: {
    ...authStore({ scenario: (harness) => harness.signIn() }),
  },
} satisfies Meta<typeof JobsPanel>

export default meta
type Story = StoryObj<typeof meta>

export const Connecting: Story = {
  parameters: storyDocs(
    '"Connecting…" and an empty (indeterminate) progress bar: the panel subscribed, the ' +
      'socket is open on the client side and waits for the server to take its token.',
    'On the server\'s `auth_ok` the job is "Connected" and progress events fill the bar. ' +
      'A refused or dropped socket is retried with backoff.',
  ),
}

export const Open: Story = {
  parameters: storyDocs(
    '"Connected", 42 % from the last progress event the listener received, no reconnects.',
    'Passes every progress event to the listener once, in order. When the access token is ' +
      'refreshed it re-authenticates this socket in place, so progress never stops.',
  ),
  play: async (context) => {
    const harness = harnessOf(context)
    socketOf(harness, JOB).authenticate().progress(1, 14).progress(2, 28).progress(3, 42)
    await harness.clock.settle()
  },
}

export const ReconnectingAfterTokenRefresh: Story = {
  name: 'Reconnecting after a token refresh',
  parameters: storyDocs(
    '"Reconnecting…" with 1 reconnect attempt, the server\'s close (4401, token expired) as the ' +
      'last error, and the progress kept at 30 %.',
    'The 4401 made the store refresh the token (one request, shared with anything else that ' +
      'needed one); the job has already opened a new socket with the new token. When it is ' +
      'accepted the job resumes after the last event it saw: nothing is lost or repeated.',
  ),
  play: async (context) => {
    const harness = harnessOf(context)
    socketOf(harness, JOB).authenticate().progress(1, 10).progress(2, 20).progress(3, 30)
    await harness.clock.settle()
    socketOf(harness, JOB).drop(4401, 'token expired')
    await harness.clock.settle()
  },
}

export const Failed: Story = {
  parameters: {
    ...storyDocs(
      '"Failed: retried with the next token or sign-in" after 3 reconnect attempts, the last ' +
        'close (1006, the connection was lost) and the progress it had reached (64 %).',
      'Stops retrying (`maxAttempts: 3` here; 8 by default). The next new token or sign-in ' +
        'gives the job a fresh round of attempts.',
    ),
    ...authStore({
      scenario: (harness) => harness.signIn(),
      websocket: { maxAttempts: 3 },
    }),
  },
  play: async (context) => {
    const harness = harnessOf(context)
    socketOf(harness, JOB).authenticate().progress(1, 32).progress(2, 64)
    await harness.clock.settle()
    socketOf(harness, JOB).drop(1006)
    await harness.clock.advance(1 * SECOND)
    socketOf(harness, JOB).drop(1006)
    await harness.clock.advance(2 * SECOND)
    socketOf(harness, JOB).drop(1006)
    await harness.clock.settle()
  },
}
