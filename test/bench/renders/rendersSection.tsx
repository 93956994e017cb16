import { selectStatus } from '../../../src/auth/selectors'
import { type AuthStore, createAuthStore } from '../../../src/createAuthStore'
import { headlessEnv } from '../../../src/env/browser'
import type { TokenSet, Transport } from '../../../src/types'
import { tokenAt } from '../../utils/jwt'
import { createEventQueue } from '../lib/eventQueue'
import type { Section } from '../lib/report'
import { installJsdomGlobals } from './jsdomGlobals'

const MINUTE = 60_000
const TICKS = 60

interface Scenario {
  name: string
  /** The access token's lifetime: long for quiet ticks, short enough for one refresh. */
  tokenTtlMs: number
  /** The user acts once before each tick. */
  active: boolean
  goal: { rendersAfterFirst: string; writesPerTick: string }
}

const SCENARIOS: Scenario[] = [
  {
    name: 'quiet ticks (validate only, no activity)',
    tokenTtlMs: 24 * 60 * MINUTE,
    active: false,
    goal: { rendersAfterFirst: '0', writesPerTick: '0' },
  },
  {
    name: 'user active (one action per tick)',
    tokenTtlMs: 24 * 60 * MINUTE,
    active: true,
    goal: { rendersAfterFirst: '0', writesPerTick: '1 (lastActivityAt)' },
  },
  {
    name: '30-minute tokens: two refreshes among the ticks',
    tokenTtlMs: 30 * MINUTE,
    active: false,
    goal: { rendersAfterFirst: '2 per refresh (refreshing, authenticated)', writesPerTick: '–' },
  },
]

/** The component measured: it reads the status, and counts its own renders. */
function Status({ useAuthStore, onRender }: { useAuthStore: AuthStore; onRender: () => void }) {
  const status = useAuthStore(selectStatus)
  onRender()
  return <output>{status}</output>
}

export interface RendersRow {
  scenario: string
  ticks: number
  rendersAfterFirst: number
  storeWrites: number
  writesPerTick: number
  validates: number
  refreshes: number
}

async function measure(scenario: Scenario): Promise<RendersRow> {
  // Loaded after the globals exist: react-dom and @testing-library read them at import.
  const { act, render, cleanup } = await import('@testing-library/react')
  const queue = createEventQueue(Date.parse('2026-01-05T09:00:00Z'))
  const calls = { validate: 0, refresh: 0 }
  const transport: Transport = {
    validate: async () => {
      calls.validate += 1
    },
    refresh: async (): Promise<TokenSet> => {
      calls.refresh += 1
      return { accessToken: tokenAt(queue.now(), scenario.tokenTtlMs), refreshToken: 'r' }
    },
  }
  const store: AuthStore = createAuthStore({
    transport,
    storage: null,
    devtools: false,
    now: queue.now,
    timers: queue.timers,
    env: headlessEnv,
    random: () => 0.5,
    // Longer than the run, so no quiet tick turns into an idle sign-out.
    idleTimeoutMs: 2 * TICKS * MINUTE,
  })
  await store.getState().login({
    accessToken: tokenAt(queue.now(), scenario.tokenTtlMs),
    refreshToken: 'r',
  })

  let renders = 0
  const onRender = () => {
    renders += 1
  }
  const view = render(<Status useAuthStore={store} onRender={onRender} />)
  const rendersAtMount = renders
  let writes = 0
  const unsubscribe = store.subscribe(() => {
    writes += 1
  })

  const drain = () => new Promise<void>((resolve) => setImmediate(resolve))
  await act(async () => {
    for (let minute = 1; minute <= TICKS; minute++) {
      const until = queue.now() + MINUTE
      if (scenario.active) store.getState().recordActivity()
      for (let event = queue.next(until); event; event = queue.next(until)) {
        queue.setNow(event.at)
        event.run()
        await drain()
      }
      queue.setNow(until)
    }
  })
  if (view.container.textContent !== 'authenticated') {
    throw new Error(`renders: the session ended (${view.container.textContent})`)
  }
  unsubscribe()
  cleanup()
  store.dispose()
  return {
    scenario: scenario.name,
    ticks: TICKS,
    rendersAfterFirst: renders - rendersAtMount,
    storeWrites: writes,
    writesPerTick: writes / TICKS,
    validates: calls.validate,
    refreshes: calls.refresh,
  }
}

export const rendersSection: Section = {
  id: 'renders',
  title: '3. Renders: a component using useAuthStore(selectStatus)',
  async run() {
    const uninstall = installJsdomGlobals()
    const rows: RendersRow[] = []
    try {
      for (const scenario of SCENARIOS) rows.push(await measure(scenario))
    } finally {
      uninstall()
    }
    return {
      data: { rows },
      tables: [
        {
          title: `${TICKS} scheduler ticks (60 s each, virtual time), React 19 in jsdom via @testing-library/react`,
          columns: [
            'scenario',
            'renders after the first',
            'goal',
            'store writes per tick',
            'goal',
            'validate calls',
            'refresh calls',
          ],
          rows: rows.map((row, i) => [
            row.scenario,
            row.rendersAfterFirst,
            SCENARIOS[i]?.goal.rendersAfterFirst ?? '',
            row.writesPerTick.toFixed(3),
            SCENARIOS[i]?.goal.writesPerTick ?? '',
            row.validates,
            row.refreshes,
          ]),
          notes: [
            'Store writes: calls of a `store.subscribe` listener (every `set` notifies, whatever changed). Renders: the component’s render count after mounting.',
          ],
        },
      ],
    }
  },
}
