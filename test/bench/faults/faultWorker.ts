/**
 * A child process that simulates the sessions it is sent, so the fault simulation uses every
 * core. Started by `runSessions` with the parent's execArgv (tsx's loader included).
 */
import { type PolicyName, policyNamed } from './policies'
import { type SessionResult, simulateSession } from './simulateSession'

export interface WorkOrder {
  policy: PolicyName
  failureRate: number
  sessions: number[]
}

export interface WorkReport {
  order: WorkOrder
  results: SessionResult[]
}

// Errors are data here (the store keeps `{ kind, message }`): their stack traces are pure cost.
Error.stackTraceLimit = 0

process.on('message', async (order: WorkOrder | 'exit') => {
  if (order === 'exit') process.exit(0)
  const policy = policyNamed(order.policy)
  const results: SessionResult[] = []
  for (const session of order.sessions) {
    results.push(await simulateSession(policy, order.failureRate, session))
  }
  process.send?.({ order, results } satisfies WorkReport)
})
