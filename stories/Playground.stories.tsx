import type { Meta, StoryObj } from '@storybook/react-vite'
import { discoverBackend, type PlaygroundBackend } from './support/playground/backend'
import { Playground } from './support/playground/Playground'
import { storyDocs } from './support/storyDocs'

/**
 * A real store against the reference backend (test/server), which `storybook dev` starts in
 * its Vite dev server (.storybook/referenceBackendPlugin.ts). Real time, compressed: 2-minute
 * tokens, a 30-second refresh window, a check every 5 seconds.
 */
const meta = {
  title: 'Playground',
  component: Playground,
} satisfies Meta<typeof Playground>

export default meta
type Story = StoryObj<typeof meta>

export const Live: Story = {
  // `args.backend` is filled by the loader; a test can pass its own.
  args: { backend: null },
  loaders: [
    async ({ args }) => ({
      backend: (args.backend as PlaygroundBackend | null) ?? (await discoverBackend()),
    }),
  ],
  render: (_args, { loaded }) => (
    <Playground backend={loaded.backend as PlaygroundBackend | null} />
  ),
  parameters: storyDocs(
    'The session (status, countdown, last error), buttons that sign in and out, call the API, ' +
      'take the server down and up, revoke the session, expire the token and start a job, and ' +
      'the actions the store sent Redux DevTools, tokens redacted. Without a backend (a static ' +
      'build) it says to start Storybook with `npm start`.',
    "Everything a real app's store would: refresh 30 s before expiry, retry while the server " +
      'is down, sign out on a 401, follow the token with the job sockets.',
  ),
}
