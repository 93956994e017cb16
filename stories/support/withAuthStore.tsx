import type { Decorator, Parameters, ReactRenderer } from '@storybook/react-vite'
import type { BeforeEach } from 'storybook/internal/csf'
import { AuthStoreProvider } from '../../src/react/AuthStoreProvider'
import { type AuthStoreParameters, createStoryHarness, type StoryHarness } from './harness'

interface WithHarness {
  loaded: Record<string, unknown>
}

/** The story's harness, for a `play` function that goes on driving it after the render. */
export function harnessOf(context: WithHarness): StoryHarness {
  const harness = context.loaded.authStore
  if (!harness) throw new Error('this story has no authStore loader (see stories/support)')
  return harness as StoryHarness
}

/** `parameters` of a story whose store is built from `settings` (typed, unlike `parameters`). */
export const authStore = (settings: AuthStoreParameters) => ({ authStore: settings })

/**
 * Builds a fresh store from `parameters.authStore` and plays its scenario: real actions against
 * the stub server, time moved by the story clock. A loader, because the scenario is async and
 * must have finished before the first render.
 */
export const loadAuthStore = async ({ parameters }: { parameters: Parameters }) => {
  const settings = parameters.authStore as AuthStoreParameters | undefined
  const harness = createStoryHarness(settings)
  await settings?.scenario?.(harness)
  await harness.clock.settle()
  return { authStore: harness }
}

/** Disposes the story's store (its timers and sockets) when the story is left. */
export const disposeAuthStore: BeforeEach<ReactRenderer> = (context) => () => {
  ;(context.loaded.authStore as StoryHarness | undefined)?.dispose()
}

/** Gives the story its store and the story clock through `<AuthStoreProvider>`. */
export const withAuthStore: Decorator = (Story, context) => {
  const { store, clock } = harnessOf(context)
  return (
    <AuthStoreProvider store={store} clock={clock}>
      <Story />
    </AuthStoreProvider>
  )
}
