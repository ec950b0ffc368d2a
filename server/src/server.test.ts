import { Database } from 'bun:sqlite'
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadIngestVectors } from '@llmlens/spec'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc'
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'

const MAIN = join(import.meta.dir, 'main.ts')
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmlens-server-'))
  dirs.push(dir)
  return join(dir, 'llmlens.db')
}

/** Starts the real server process and waits for its start line to learn the URL. */
async function startProcess(env: Record<string, string>) {
  const child = Bun.spawn([process.execPath, MAIN, '--port', '0'], {
    env: { ...process.env, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const reader = child.stderr.getReader()
  let log = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) throw new Error(`server exited before starting:\n${log}`)
    log += new TextDecoder().decode(value)
    const match = /msg="llmlens started" url=(\S+)/.exec(log)
    if (match) {
      const rest = (async () => {
        for (;;) {
          const next = await reader.read()
          if (next.done) return log
          log += new TextDecoder().decode(next.value)
        }
      })()
      return { child, url: match[1] as string, logs: () => rest, logSoFar: () => log }
    }
  }
}

const example = loadIngestVectors().find((v) => v.name === 'design-example')
const exampleBody = example?.request.body as { spans: Record<string, unknown>[] }
const template = exampleBody.spans[0] as Record<string, unknown>

function batch(batchIndex: number, size: number) {
  return Array.from({ length: size }, (_, i) => ({
    ...template,
    traceId: batchIndex.toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
  }))
}

describe('the server process', () => {
  test('serves /healthz and accepts the DESIGN.md example', async () => {
    const server = await startProcess({ LLMLENS_DB: tempDb() })
    try {
      expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok')
      const reply = await fetch(`${server.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ spans: [template] }),
      })
      expect(await reply.json()).toEqual({ accepted: 1, rejected: [], warnings: [] })
    } finally {
      server.child.kill('SIGTERM')
      await server.child.exited
    }
  })

  test('every acknowledged span survives SIGKILL mid-ingest, none twice', async () => {
    const db = tempDb()
    const server = await startProcess({ LLMLENS_DB: db })
    const acknowledged: number[] = []
    let killed = false
    const sender = async (lane: number) => {
      for (let n = 0; !killed; n++) {
        const index = lane * 1_000_000 + n + 1
        try {
          const reply = await fetch(`${server.url}/api/v1/ingest`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ spans: batch(index, 200) }),
          })
          if (reply.status === 200) acknowledged.push(index)
        } catch {
          return
        }
      }
    }
    const lanes = [sender(0), sender(1), sender(2)]
    while (acknowledged.length < 30) await Bun.sleep(5)
    server.child.kill('SIGKILL')
    killed = true
    await server.child.exited
    await Promise.all(lanes)

    // Restarting applies no migration twice and opens the file the killed process left.
    const again = await startProcess({ LLMLENS_DB: db })
    again.child.kill('SIGTERM')
    await again.child.exited

    const sqlite = new Database(db, { readonly: true })
    const rows = sqlite
      .query('SELECT trace_id, COUNT(*) AS n FROM spans GROUP BY trace_id')
      .all() as {
      trace_id: string
      n: number
    }[]
    const stored = new Map(rows.map((row) => [Number.parseInt(row.trace_id, 16), row.n]))
    for (const index of acknowledged) expect(stored.get(index)).toBe(200)
    const [total] = sqlite
      .query('SELECT COUNT(*), COUNT(DISTINCT trace_id || span_id) FROM spans')
      .values()
    expect(total?.[0]).toBe(total?.[1] as number)
    sqlite.close()
  }, 30_000)

  test('SIGTERM finishes in flight and stops cleanly', async () => {
    const server = await startProcess({ LLMLENS_DB: tempDb() })
    const inFlight = fetch(`${server.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spans: batch(1, 2000) }),
    })
    await Bun.sleep(1)
    server.child.kill('SIGTERM')
    const reply = await inFlight
      .then((r) => r.json())
      .catch((error: Error) => ({ refused: error.message }))
    expect(await server.child.exited).toBe(0)
    const logs = await server.logs()
    expect(logs).toContain('msg=stopping signal=SIGTERM')
    expect(logs).toContain('msg="llmlens stopped"')
    // Either the batch was acknowledged whole, or the connection was refused before it began.
    if ('accepted' in reply) expect(reply).toMatchObject({ accepted: 2000 })
  })

  test('with LLMLENS_GRPC_PORT, OTLP/gRPC exports are stored like OTLP/HTTP ones', async () => {
    const server = await startProcess({ LLMLENS_DB: tempDb(), LLMLENS_GRPC_PORT: '0' })
    let port: string | undefined
    while (port === undefined && server.child.exitCode === null) {
      port = /msg="OTLP\/gRPC listening" port=(\d+)/.exec(server.logSoFar())?.[1]
      await Bun.sleep(20)
    }
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}` })
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
    const span = provider.getTracer('t').startSpan('chat gpt-4o', {
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
    })
    span.end()
    await provider.shutdown()

    const trace = await fetch(`${server.url}/api/v1/traces/${span.spanContext().traceId}`)
    expect(trace.status).toBe(200)
    expect(((await trace.json()) as { spans: { model: string }[] }).spans[0]?.model).toBe('gpt-4o')
    server.child.kill('SIGTERM')
    expect(await server.logs()).toContain('msg="llmlens stopped"')
  })

  test('refuses to start on a public address without API keys, and says why', async () => {
    const child = Bun.spawn([process.execPath, MAIN, '--host', '0.0.0.0', '--port', '0'], {
      env: { ...process.env, LLMLENS_DB: tempDb(), LLMLENS_API_KEYS: '' },
      stderr: 'pipe',
    })
    expect(await child.exited).toBe(2)
    expect(await new Response(child.stderr).text()).toContain(
      '--host=0.0.0.0 is reachable from other machines, so LLMLENS_API_KEYS must be set',
    )
  })
})
