/**
 * `npm run example`: a real store in compressed time (one minute = 250 ms) against an
 * in-process stub server, printing each devtools action as it happens: a refresh inside the
 * window, a network blip that is kept, and a 401 that signs the user out.
 */
import {
  createAuthStore,
  HttpError,
  headlessEnv,
  NetworkError,
  type Session,
} from '../../src/index'

const MINUTE = 250
const start = Date.now()
const stamp = () => `${String(((Date.now() - start) / MINUTE).toFixed(1)).padStart(5)} min`

interface PrintedState {
  status: string
  token: string | null
  error: { message: string } | null
  signOutReason: string | null
}
// A console "Redux DevTools": the store only ever hands it redacted state.
;(globalThis as { window?: unknown }).window = {
  __REDUX_DEVTOOLS_EXTENSION__: {
    connect: () => ({
      init: () => {},
      subscribe: () => () => {},
      // auth/activity (one a minute while the user is active) is left out to keep this short.
      send: (action: { type: string }, state: PrintedState) => {
        if (action.type === 'auth/activity') return
        const error = state.error ? `  error="${state.error.message}"` : ''
        const reason = state.signOutReason ? `  reason=${state.signOutReason}` : ''
        console.log(
          `${stamp()}  ${action.type.padEnd(24)} status=${state.status.padEnd(13)} token=${state.token ?? '-'}${error}${reason}`,
        )
      },
    }),
  },
}

const stubServer = {
  down: false,
  revoked: false,
  issue() {
    const iat = Math.floor(Date.now() / 1000)
    const claims = Buffer.from(
      JSON.stringify({ sub: 'demo', iat, exp: iat + (60 * MINUTE) / 1000 }),
    )
    return `eyJhbGciOiJub25lIn0.${claims.toString('base64url')}.`
  },
  async answer(session: Session) {
    if (stubServer.down) throw new NetworkError('connect ECONNREFUSED 127.0.0.1')
    if (stubServer.revoked) throw new HttpError(401, 'Session revoked')
    return session
  },
}

const useAuthStore = createAuthStore({
  tickMs: MINUTE,
  refreshWindowMs: 5 * MINUTE,
  retry: { initialDelayMs: MINUTE / 60 },
  storage: null,
  env: headlessEnv,
  transport: {
    refresh: async (session) => {
      await stubServer.answer(session)
      return { accessToken: stubServer.issue() }
    },
    validate: async (session) => void (await stubServer.answer(session)),
  },
})

const keepActive = setInterval(() => useAuthStore.getState().recordActivity(), MINUTE / 2)
const at = (minutes: number, what: string, action: () => void) =>
  setTimeout(() => {
    console.log(`${stamp()}  -- ${what}`)
    action()
  }, minutes * MINUTE)

await useAuthStore.getState().login(stubServer.issue())
at(20, 'the network drops for 3 minutes', () => (stubServer.down = true))
at(23, 'the network is back', () => (stubServer.down = false))
at(62, 'the server revokes the session', () => (stubServer.revoked = true))
await new Promise<void>((resolve) =>
  useAuthStore.subscribe((state) => state.status === 'signedOut' && resolve()),
)
clearInterval(keepActive)
useAuthStore.dispose()
console.log(
  `${stamp()}  signed out by the server (reason: ${useAuthStore.getState().signOutReason}), as only a 401 may do`,
)
