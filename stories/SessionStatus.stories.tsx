import type { Meta, StoryObj } from '@storybook/react-vite'
import { SessionStatus } from '../src/react/SessionStatus'
import { advanceWhileActive } from './support/scenarios'
import { MINUTE, SECOND } from './support/storyClock'
import { storyDocs } from './support/storyDocs'
import { authStore, disposeAuthStore, loadAuthStore, withAuthStore } from './support/withAuthStore'

/**
 * Every story is a real store (production timings: 60-minute tokens, a check every minute,
 * refresh in the last 5 minutes, idle sign-out after 60 minutes) brought into its state by
 * its actions against a stub server, on a story clock that starts at 09:00 and moves only
 * when the scenario says so.
 */
const meta = {
  component: SessionStatus,
  decorators: [withAuthStore],
  loaders: [loadAuthStore],
  beforeEach: disposeAuthStore,
} satisfies Meta<typeof SessionStatus>

export default meta
type Story = StoryObj<typeof meta>

export const SignedOut: Story = {
  parameters: {
    ...storyDocs(
      '"Signed out. You signed out." No countdown, no error.',
      'Nothing: no timers run while signed out. `login()` starts a new session.',
    ),
    ...authStore({
      scenario: async (harness) => {
        await harness.signIn()
        await harness.clock.advance(10 * MINUTE)
        await harness.store.getState().logout()
      },
    }),
  },
}

export const Authenticated: Story = {
  parameters: {
    ...storyDocs(
      '"Signed in", and the token\'s countdown: 47:30 left, 12½ minutes after signing in.',
      'Checks the session with the server every minute (`auth/validate`); refreshes the token ' +
        'once less than 5 minutes are left, at 55:00.',
    ),
    ...authStore({
      scenario: async (harness) => {
        await harness.signIn()
        await harness.clock.advance(12 * MINUTE + 30 * SECOND)
      },
    }),
  },
}

export const ExpiringSoon: Story = {
  parameters: {
    ...storyDocs(
      '"Signed in. Expires soon." with 4:45 left: the token is inside the 5-minute refresh ' +
        'window. (This server issues tokens that live 60½ minutes, so the check at 55:00 still ' +
        'saw 5:30 left.)',
      'Refreshes at the next check, in 15 seconds; the countdown then starts again from 60:30.',
    ),
    ...authStore({
      tokenTtlMs: 60 * MINUTE + 30 * SECOND,
      scenario: async (harness) => {
        await harness.signIn()
        await harness.clock.advance(55 * MINUTE + 45 * SECOND)
      },
    }),
  },
}

export const Refreshing: Story = {
  parameters: {
    ...storyDocs(
      '"Refreshing session… Expires soon." while the refresh request is in flight (held open ' +
        'by the stub server), 4:57 left.',
      'Applies the new token when the answer comes (back to "Signed in"); any other call that ' +
        'needs a refresh meanwhile shares this one request. A network error would make it ' +
        'retry; only a 401 would sign the user out.',
    ),
    ...authStore({
      scenario: async ({ clock, server, signIn }) => {
        await signIn()
        await clock.advance(54 * MINUTE + 30 * SECOND)
        server.hold()
        await clock.advance(33 * SECOND)
      },
    }),
  },
}

export const RetryingAfterNetworkError: Story = {
  parameters: {
    ...storyDocs(
      '"Connection problem, retrying", the network error of the refresh that failed at 55:00, ' +
        'and the countdown still running (4:59 left): the user is still signed in.',
      'Retries with backoff (1 s, 2 s, 4 s … at most a minute apart) and keeps the session: a ' +
        'network error is transient. The first success returns to "Signed in".',
    ),
    ...authStore({
      scenario: async ({ clock, server, signIn }) => {
        await signIn()
        await clock.advance(54 * MINUTE + 30 * SECOND)
        server.down()
        await clock.advance(30 * SECOND + 500)
      },
    }),
  },
}

export const ServerDownPastExpiry: Story = {
  parameters: {
    ...storyDocs(
      '"Connection problem, retrying. The access token has expired." with "Expired 1:00 ago": ' +
        'the server has been unreachable since 50:00 and the token ran out at 60:00. The user, ' +
        'still working, is not signed out.',
      'Keeps retrying the refresh (at most a minute apart). When the server is back, the ' +
        'refresh token gets a new access token and the session goes on; only a 401 from the ' +
        'server would end it.',
    ),
    ...authStore({
      scenario: async (harness) => {
        await harness.signIn()
        await advanceWhileActive(harness, 50 * MINUTE)
        harness.server.down()
        await advanceWhileActive(harness, 11 * MINUTE)
      },
    }),
  },
}

export const SignedOutByServer: Story = {
  name: 'Signed out by 401',
  parameters: {
    ...storyDocs(
      '"Signed out. The server ended the session." and the 401 that said so: the session was ' +
        'revoked on the server at 20:00 and the check at 21:00 found out.',
      'Nothing until the user signs in again: a 401 is final, there is no retry. Job sockets ' +
        'are closed and reopen on the next sign-in.',
    ),
    ...authStore({
      scenario: async ({ clock, server, signIn }) => {
        await signIn()
        await clock.advance(20 * MINUTE)
        server.revoke()
        await clock.advance(1 * MINUTE)
      },
    }),
  },
}

export const SignedOutIdle: Story = {
  name: 'Signed out by idle timeout',
  parameters: {
    ...storyDocs(
      '"Signed out. Signed out after a period of inactivity.": no pointer or key activity for ' +
        '60 minutes (the token itself was refreshed at 55:00 and was still valid).',
      'Nothing until the user signs in again. A user who comes back after the timeout is ' +
        'signed out by their first click, not silently revived.',
    ),
    ...authStore({
      scenario: async ({ clock, signIn }) => {
        await signIn()
        await clock.advance(60 * MINUTE)
      },
    }),
  },
}
