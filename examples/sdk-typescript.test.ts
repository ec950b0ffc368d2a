import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { type RunningProcess, startServer } from '../sdk/typescript/src/testing/processes.ts'
import { getTrace } from '../sdk/typescript/src/testing/server-api.ts'

let server: RunningProcess
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

test('the SDK example runs and its trace arrives in the server', async () => {
  const child = Bun.spawn([process.execPath, join(import.meta.dir, 'sdk-typescript.ts')], {
    env: { ...process.env, LLMLENS_URL: server.url },
    stdout: 'pipe',
  })
  const output = await new Response(child.stdout).text()
  expect(await child.exited).toBe(0)
  const traceId = /trace ([0-9a-f]{32})\n/.exec(output)?.[1] as string
  expect(output).toContain('Fake reply: How did latency change this week?')

  const trace = await getTrace(server.url, traceId)
  expect(trace.spans.map((span) => [span.name, span.kind])).toEqual([
    ['answer a question', 'agent'],
    ['look up notes', 'retrieval'],
    ['chat gpt-4o-mini', 'llm'],
  ])
  expect(trace.scores.map((score) => [score.name, score.value])).toEqual([['helpfulness', 1]])
}, 30_000)
