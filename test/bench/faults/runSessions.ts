import { type ChildProcess, fork } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { WorkOrder, WorkReport } from './faultWorker'

const WORKER = fileURLToPath(new URL('./faultWorker.ts', import.meta.url))
/** Sessions per work order: small enough to balance two workers, large enough to amortise IPC. */
const CHUNK = 25

/**
 * Runs every order on `workers` child processes (one per core by default), handing out chunks
 * as workers free up. Each session's outcome depends only on its seed, so the split does not
 * change any result.
 */
export async function runSessions(
  orders: WorkOrder[],
  options: { workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<WorkReport[]> {
  const chunks: WorkOrder[] = orders.flatMap((order) => {
    const parts: WorkOrder[] = []
    for (let i = 0; i < order.sessions.length; i += CHUNK) {
      parts.push({ ...order, sessions: order.sessions.slice(i, i + CHUNK) })
    }
    return parts
  })
  const total = chunks.reduce((sum, chunk) => sum + chunk.sessions.length, 0)
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), chunks.length))
  const reports: WorkReport[] = []
  let done = 0
  let next = 0

  const work = (child: ChildProcess) =>
    new Promise<void>((resolve, reject) => {
      const handOut = () => {
        const chunk = chunks[next++]
        if (chunk === undefined) {
          child.send('exit')
          resolve()
        } else {
          child.send(chunk)
        }
      }
      child.on('message', (report: WorkReport) => {
        reports.push(report)
        done += report.results.length
        options.onProgress?.(done, total)
        handOut()
      })
      child.on('error', reject)
      child.on('exit', (code) => {
        if (code !== 0) reject(new Error(`fault worker exited with code ${code}`))
      })
      handOut()
    })

  const children = Array.from({ length: count }, () =>
    fork(WORKER, [], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  )
  try {
    await Promise.all(children.map(work))
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill()
  }
  return reports
}
