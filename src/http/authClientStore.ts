import type { AuthSlice } from '../auth/authState'

/** What `createAuthClient` needs from a store; the hook `createAuthStore` returns has it. */
export interface AuthClientStore {
  getState(): Pick<AuthSlice, 'token' | 'status' | 'signOutReason' | 'refresh'>
  markSessionValid(): void
}
