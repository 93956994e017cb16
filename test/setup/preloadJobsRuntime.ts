import { jobsRuntimeChunk } from '../../src/websocket/loadJobsRuntime'

/**
 * The jobs machinery is a chunk a store loads on demand. Loaded here first, every store in the
 * tests starts its jobs at once, as every store after the first does in an app; the wait
 * before the first load is tested on its own (test/websocket/loadOnDemand.test.ts).
 */
await jobsRuntimeChunk.load()
