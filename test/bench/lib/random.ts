import { createRandom } from '../../server/random'

/** A seeded PRNG (the reference backend's mulberry32) returning numbers in [0, 1). */
export type Rng = () => number

/**
 * One independent stream per purpose: `seeded('plan', session)` is the same whatever the
 * configuration, so the three policies face the same outages, sleep and user.
 */
export function seeded(...parts: Array<string | number>): Rng {
  // FNV-1a over the parts, then mulberry32 from that seed.
  let hash = 0x811c9dc5
  for (const char of parts.join('/')) {
    hash ^= char.charCodeAt(0)
    hash = Math.imul(hash, 0x01000193)
  }
  const random = createRandom(hash >>> 0)
  return () => random.next()
}

export const uniform = (rng: Rng, min: number, max: number) => min + rng() * (max - min)
