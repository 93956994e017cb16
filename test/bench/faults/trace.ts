/**
 * Prints one simulated session step by step, to explain a surprising number:
 *   npx tsx test/bench/faults/trace.ts library 0.2 17
 */
import { planSession } from './faultModel'
import { type PolicyName, policyNamed } from './policies'
import { simulateSession } from './simulateSession'

const [name = 'library', rate = '0.05', session = '0'] = process.argv.slice(2)
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`
const plan = planSession(Number(session))
console.log(`sleep ${minutes(plan.sleep.start)}–${minutes(plan.sleep.end)}`)
console.log(`outages ${plan.outages.map((o) => minutes(o.start)).join(', ')}`)
console.log(
  `throttled ${plan.throttled.map((o) => `${minutes(o.start)}–${minutes(o.end)}`).join(', ')}`,
)
const result = await simulateSession(
  policyNamed(name as PolicyName),
  Number(rate),
  Number(session),
  (line) => console.log(line),
)
console.log(result)
