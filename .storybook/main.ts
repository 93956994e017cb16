import type { StorybookConfig } from '@storybook/react-vite'
import { referenceBackendPlugin } from './referenceBackendPlugin.js'

const config: StorybookConfig = {
  framework: '@storybook/react-vite',
  stories: ['../stories/**/*.stories.tsx'],
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    const { mergeConfig } = await import('vite')
    // The plugin applies to `storybook dev` only (`apply: 'serve'`).
    return mergeConfig(viteConfig, { plugins: [referenceBackendPlugin()] })
  },
}

export default config
