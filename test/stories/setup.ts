import { setProjectAnnotations } from '@storybook/react-vite'
import { beforeAll } from 'vitest'
import preview from '../../.storybook/preview'

/**
 * Portable stories: the project's annotations (the preview's decorators and parameters, and
 * the React renderer's own) applied to every story composed in these tests.
 */
const annotations = setProjectAnnotations([preview])

beforeAll(annotations.beforeAll)
