export type JobsRuntimeModule = typeof import('./jobsRuntime')

/**
 * The jobs machinery, a chunk of its own in the build: an app without the `websocket` option
 * never downloads it. `load()` fetches it once per page and keeps it in `loaded`, so every store
 * after the first uses it at once. One object, so a test can hold the chunk's arrival in its
 * hands (replace `load`, clear `loaded`) the way a slow network would.
 */
export const jobsRuntimeChunk = {
  loaded: undefined as JobsRuntimeModule | undefined,
  load(): Promise<JobsRuntimeModule> {
    return import('./jobsRuntime').then((module) => {
      jobsRuntimeChunk.loaded = module
      return module
    })
  },
}
