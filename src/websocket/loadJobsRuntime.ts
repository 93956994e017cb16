export type JobsRuntimeModule = typeof import('./jobsRuntime')

let loaded: JobsRuntimeModule | undefined

/**
 * Loads the jobs machinery (its own chunk in the build): an app without the `websocket` option
 * never downloads it. Loaded once per page; every store after the first uses it at once.
 */
export function loadJobsRuntime(): Promise<JobsRuntimeModule> {
  return import('./jobsRuntime').then((module) => {
    loaded = module
    return module
  })
}

/** The jobs machinery when this page has loaded it already, else undefined. */
export const loadedJobsRuntime = (): JobsRuntimeModule | undefined => loaded
