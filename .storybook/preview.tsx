import type { Preview } from '@storybook/react-vite'
import '../stories/support/stories.css'

const preview: Preview = {
  parameters: {
    layout: 'padded',
  },
  // A landmark around every story, as the components would sit in an app's main content.
  decorators: [
    (Story) => (
      <main className="story">
        <Story />
      </main>
    ),
  ],
}

export default preview
