import fc from 'fast-check'

/**
 * Property tests run with a fixed seed and a bounded count in `npm test` (fast, reproducible),
 * and longer under `npm run fuzz` (FC_RUNS=…, FC_SEED=… to explore new cases).
 */
export function configurePropertyRuns(defaultRuns = 60): void {
  fc.configureGlobal({
    seed: Number(process.env.FC_SEED ?? 20261128),
    numRuns: Number(process.env.FC_RUNS ?? defaultRuns),
    endOnFailure: true,
  })
}
