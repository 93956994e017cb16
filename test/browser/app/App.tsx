import { type FormEvent, useState } from 'react'
import type { AuthState } from '../../../src/index'
import { AuthStoreProvider, createTickingClock, SessionStatus } from '../../../src/react'
import { DevtoolsLogView, JobsView } from './LogViews'
import type { PageSession } from './session'

const seconds = (ms: number) => `${ms / 1000} s`

const selectStatus = (state: AuthState) => state.status
const selectReason = (state: AuthState) => state.signOutReason

/** The page under test: status, sign-in or signed-in view, jobs, and the devtools log. */
export function App({ session }: { session: PageSession }) {
  const [clock] = useState(() =>
    createTickingClock({ now: session.time.now, timers: session.time.timers }),
  )
  const status = session.store(selectStatus)
  const reason = session.store(selectReason)
  return (
    <AuthStoreProvider store={session.store} clock={clock}>
      <main>
        <h1>zustand-auth-session · browser e2e</h1>
        <p>
          Page time runs ×{session.config.speed}: tick {seconds(session.config.tickMs)}, refresh
          window {seconds(session.config.refreshWindowMs)}, idle timeout{' '}
          {seconds(session.config.idleTimeoutMs)}, job sockets by {session.config.tokenStrategy}.
        </p>
        <p data-testid="status" data-status={status} data-reason={reason ?? ''}>
          Status: <strong>{status}</strong>
          {reason && status === 'signedOut' ? ` (${reason})` : ''}
        </p>
        <SessionStatus expiringSoonMs={session.config.refreshWindowMs} />
        {status === 'signedOut' ? <SignIn session={session} /> : <SignedIn session={session} />}
        <JobsView session={session} />
        <DevtoolsLogView session={session} />
      </main>
    </AuthStoreProvider>
  )
}

function SignIn({ session }: { session: PageSession }) {
  const [problem, setProblem] = useState('')
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setProblem('')
    session.store
      .getState()
      .login({ username: String(form.get('username')), password: String(form.get('password')) })
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)))
  }
  return (
    <form data-testid="sign-in" onSubmit={onSubmit}>
      <h2>Sign in</h2>
      <label>
        Username <input name="username" autoComplete="username" />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" />
      </label>
      <button type="submit">Sign in</button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  )
}

function SignedIn({ session }: { session: PageSession }) {
  const [answer, setAnswer] = useState('')
  const callApi = () => {
    setAnswer('…')
    session.api
      .get<{ username: string }>('/api/me')
      .then((response) => setAnswer(`${response.status} ${response.data.username}`))
      .catch((error: unknown) => setAnswer(error instanceof Error ? error.message : String(error)))
  }
  return (
    <section data-testid="signed-in">
      <h2>Account</h2>
      <button type="button" onClick={() => void session.store.getState().logout()}>
        Sign out
      </button>{' '}
      <button type="button" onClick={callApi}>
        Call GET /api/me
      </button>{' '}
      <output data-testid="api-answer">{answer}</output>
    </section>
  )
}
