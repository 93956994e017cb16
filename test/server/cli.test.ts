// @vitest-environment node
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, test } from 'vitest'

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))

let child: ChildProcess | undefined

afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL')
})

/** Resolves with everything printed on stdout up to the first newline. */
function firstLine(cli: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    cli.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      if (buffered.includes('\n')) resolve(buffered)
    })
    cli.once('exit', (code) => reject(new Error(`cli exited with ${code} before listening`)))
  })
}

test('prints only its URL, serves with control and CORS from env, and stops on SIGTERM', async () => {
  child = spawn(TSX, [CLI], {
    env: {
      ...process.env,
      PORT: '0',
      ACCESS_TTL_SEC: '5',
      CORS_ORIGINS: 'http://a.test, http://b.test',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })

  const output = await firstLine(child)
  expect(output).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/)
  const url = output.trim()
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { origin: 'http://b.test' },
    body: JSON.stringify({ username: 'demo', password: 'demo' }),
  })
  expect(login.headers.get('access-control-allow-origin')).toBe('http://b.test')
  expect(((await login.json()) as { expires_in: number }).expires_in).toBe(5)
  const counts = await fetch(`${url}/__control/counts`)
  expect(await counts.json()).toEqual({ ok: true, result: { 'POST /auth/login': 1 } })

  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  expect(await exited).toEqual([0, null])
})
