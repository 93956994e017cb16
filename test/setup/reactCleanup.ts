import { cleanup } from '@testing-library/react'
import { afterEach, beforeEach } from 'vitest'

/**
 * Unmounts what each test rendered. Testing Library does this by itself once per module load;
 * the mutation run shares modules and the DOM between test files (`isolate: false`), so it is
 * said here, and each test starts from an empty body whatever an earlier file left in it.
 */
afterEach(cleanup)
beforeEach(() => {
  if (typeof document !== 'undefined') document.body.replaceChildren()
})
