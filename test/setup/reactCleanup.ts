import { cleanup } from '@testing-library/react'
import { afterEach, beforeEach } from 'vitest'

/**
 * Unmounts what each test rendered. Testing Library does this by itself only when vitest's
 * globals are on (they are not here), so it is said here, for every test file. The body is
 * emptied too: the mutation run shares the DOM between test files (`isolate: false`), and each
 * test starts from an empty body whatever an earlier file left in it.
 */
afterEach(cleanup)
beforeEach(() => {
  if (typeof document !== 'undefined') document.body.replaceChildren()
})
