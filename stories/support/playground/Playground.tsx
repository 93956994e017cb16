import { isAxiosError } from 'axios'
import { useEffect, useState } from 'react'
import { isSessionEndedError } from '../../../src/errors/guards'
import { AuthStoreProvider } from '../../../src/react/AuthStoreProvider'
import { JobsPanel } from '../../../src/react/JobsPanel'
import { SessionStatus } from '../../../src/react/SessionStatus'
import { type PlaygroundBackend, sendControl } from './backend'
import {
  createPlaygroundSession,
  DEMO_LOGIN,
  PLAYGROUND_TIMINGS,
  type PlaygroundSession,
} from './createPlaygroundSession'
import { DevtoolsLog } from './DevtoolsLog'
import { createDevtoolsRecorder, type DevtoolsRecorder } from './devtoolsRecorder'

export interface PlaygroundProps {
  /** The live backend; null renders how to get one. */
  backend: PlaygroundBackend | null
}

/** A real store against the reference backend, with the backend's failure switches at hand. */
export function Playground({ backend }: PlaygroundProps) {
  if (backend === null) return <NoBackend />
  return <LivePlayground backend={backend} />
}

function NoBackend() {
  return (
    <section aria-labelledby="no-backend" className="playground">
      <h1 id="no-backend">Playground</h1>
      <p role="status">
        No live backend here. Start Storybook with <code>npm start</code> to get the live backend:
        the reference server runs inside Storybook&apos;s dev server. A static build (
        <code>npm run build-storybook</code>) has no server to talk to.
      </p>
    </section>
  )
}

function LivePlayground({ backend }: { backend: PlaygroundBackend }) {
  const [recorder] = useState(createDevtoolsRecorder)
  const [session, setSession] = useState<PlaygroundSession | null>(null)

  useEffect(() => {
    const created = createPlaygroundSession(backend, recorder)
    setSession(created)
    return () => created.dispose()
  }, [backend, recorder])

  return (
    <div className="playground">
      <header>
        <h1>Playground</h1>
        <p>
          Reference backend at <code>{backend.url}</code>. Time is compressed: tokens live 2
          minutes, are refreshed in their last {PLAYGROUND_TIMINGS.refreshWindowMs / 1000} s, and
          the store checks every {PLAYGROUND_TIMINGS.tickMs / 1000} s.
        </p>
      </header>
      {session === null ? (
        <p role="status">Starting…</p>
      ) : (
        <AuthStoreProvider store={session.store}>
          <div className="playground-columns">
            <div>
              <SessionStatus expiringSoonMs={PLAYGROUND_TIMINGS.refreshWindowMs} />
              <Controls backend={backend} session={session} recorder={recorder} />
            </div>
            <DevtoolsLog recorder={recorder} />
          </div>
        </AuthStoreProvider>
      )}
    </div>
  )
}

interface ControlsProps {
  backend: PlaygroundBackend
  session: PlaygroundSession
  recorder: DevtoolsRecorder
}

function describeFailure(error: unknown): string {
  if (isSessionEndedError(error)) return `${error.name}: ${error.message}`
  if (isAxiosError(error)) {
    return error.response ? `HTTP ${error.response.status}` : `no answer (${error.message})`
  }
  return error instanceof Error ? error.message : String(error)
}

function Controls({ backend, session, recorder }: ControlsProps) {
  const [outcome, setOutcome] = useState('')
  const [serverDown, setServerDown] = useState(false)
  const [jobNames, setJobNames] = useState<string[]>([])
  const { store, api } = session

  /** Runs one button's action and reports how it went in the status line. */
  const run = async (label: string, action: () => Promise<string | undefined>) => {
    setOutcome(`${label}…`)
    try {
      const detail = await action()
      setOutcome(`${label}: ${detail ?? 'done'}`)
    } catch (error) {
      setOutcome(`${label} failed: ${describeFailure(error)}`)
    }
  }

  const logIn = async () => {
    await store.getState().login(DEMO_LOGIN)
    return 'ok'
  }
  const logOut = async () => {
    await store.getState().logout()
    return 'ok'
  }
  const callApi = async () => {
    const response = await api.get<{ username: string }>('/api/me')
    return `${response.status} (${response.data.username})`
  }

  const control = (label: string, action: string, after?: () => void) => () =>
    run(label, async () => {
      await sendControl(backend, action)
      after?.()
      return undefined
    })

  return (
    <>
      <fieldset className="button-row">
        <legend>Session</legend>
        <button type="button" onClick={() => run('Log in', logIn)}>
          Log in as demo
        </button>
        <button type="button" onClick={() => run('Log out', logOut)}>
          Log out
        </button>
        <button type="button" onClick={() => run('GET /api/me', callApi)}>
          Call GET /api/me
        </button>
      </fieldset>
      <fieldset className="button-row">
        <legend>Reference backend</legend>
        <button
          type="button"
          aria-pressed={serverDown}
          onClick={control('Take the server down', 'down', () => setServerDown(true))}
        >
          Take server down
        </button>
        <button
          type="button"
          onClick={control('Bring the server up', 'up', () => setServerDown(false))}
        >
          Bring server up
        </button>
        <button type="button" onClick={control('Revoke the session', 'revokeSession')}>
          Revoke session
        </button>
        <button type="button" onClick={control('Expire the access tokens', 'expireTokensNow')}>
          Expire token
        </button>
        <button
          type="button"
          onClick={() => setJobNames((names) => [...names, `job-${names.length + 1}`])}
        >
          Start a job
        </button>
        <button type="button" onClick={() => recorder.clear()}>
          Clear log
        </button>
      </fieldset>
      <p role="status" className="outcome">
        Server {serverDown ? 'down' : 'up'}
        {outcome && ` · ${outcome}`}
      </p>
      <JobsPanel jobNames={jobNames} />
    </>
  )
}
