import type { Plugin, ViteDevServer } from 'vite'
import type { ReferenceServerOptions } from '../test/server/referenceServer.js'

type ReferenceServerModule = typeof import('../test/server/referenceServer.js')
type ControlRouteModule = typeof import('../test/server/controlRoute.js')

/** Answers `{ url, wsUrl, controlUrl }`; read by stories/support/playground/backend.ts. */
const BACKEND_INFO_PATH = '/__reference-backend'

/**
 * The server code is loaded through Vite's SSR loader rather than imported here: Storybook
 * loads main.ts with its own Node loader, which warns about every extensionless import in
 * test/server, and a static build never needs the server at all.
 */
async function loadServerModules(server: ViteDevServer) {
  const load = (file: string) => server.ssrLoadModule(new URL(file, import.meta.url).pathname)
  const [reference, controlRoute] = await Promise.all([
    load('../test/server/referenceServer.ts') as Promise<ReferenceServerModule>,
    load('../test/server/controlRoute.ts') as Promise<ControlRouteModule>,
  ])
  return { ...reference, ...controlRoute }
}

/** The playground's compressed time: 2-minute tokens; a job long enough to span a refresh. */
const PLAYGROUND_SERVER: ReferenceServerOptions = {
  accessTokenTtlMs: 120_000,
  job: { intervalMs: 1_000, steps: 150 },
  // Storybook's origin calls it cross-origin, with credentials; the Origin is echoed.
  corsOrigins: '*',
  exposeControl: true,
}

/**
 * Starts the reference backend (test/server) inside Storybook's Vite dev server, for the
 * Playground story. Serve only: a static build has no server, and the playground then says so.
 *
 * The browser reaches the backend itself directly (CORS), so taking it down gives the client
 * a real refused connection. `/__control` is also served here, on Storybook's own origin and
 * in-process, so the "bring the server up" button works while the backend refuses connections.
 */
export function referenceBackendPlugin(options: ReferenceServerOptions = {}): Plugin {
  return {
    name: 'zustand-auth-session:reference-backend',
    apply: 'serve',
    async configureServer(server) {
      const { startReferenceServer, createControlRoute, CONTROL_PATH } =
        await loadServerModules(server)
      const backend = await startReferenceServer({ ...PLAYGROUND_SERVER, ...options })
      const control = createControlRoute(backend.control)
      const info = JSON.stringify({
        url: backend.url,
        wsUrl: backend.wsUrl,
        controlUrl: CONTROL_PATH,
      })

      server.middlewares.use((req, res, next) => {
        const { pathname } = new URL(req.url ?? '/', 'http://storybook.invalid')
        if (pathname === BACKEND_INFO_PATH) {
          res.setHeader('content-type', 'application/json')
          res.setHeader('cache-control', 'no-store')
          res.end(info)
          return
        }
        if (pathname === CONTROL_PATH || pathname.startsWith(`${CONTROL_PATH}/`)) {
          control(req, res, pathname).catch(next)
          return
        }
        next()
      })

      const closeVite = server.close.bind(server)
      server.close = async () => {
        await backend.close()
        await closeVite()
      }
      server.config.logger.info(`  reference backend for the Playground story: ${backend.url}`)
    },
  }
}
