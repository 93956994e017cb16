import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

/**
 * Unmounts what each test rendered. Testing Library does this by itself once per module load;
 * the mutation run shares modules between test files (`isolate: false`), so it is said here.
 */
afterEach(cleanup)
