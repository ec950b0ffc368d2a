/**
 * The TypeScript SDK's ingest bodies for cases the Python tests describe, so that the two SDKs'
 * payloads can be compared byte for byte. Reads a JSON array of cases on stdin and writes a
 * JSON array of body texts, one per case, on stdout.
 *
 *   bun sdk/python/tests/support/typescript_bodies.ts < cases.json
 */
import { Llmlens } from '../../../typescript/src/llmlens.ts'
import { fixedIds, manualClock } from '../../../typescript/src/testing/fixed.ts'
import type { SpanError, SpanKind, Usage } from '../../../typescript/src/types.ts'

interface Case {
  options: Record<string, unknown>
  startTime: number
  durationMs: number
  traceId: string
  spanId: string
  name: string
  span: {
    kind?: SpanKind
    endpoint?: string
    userId?: string
    sessionId?: string
    tags?: string[]
    metadata?: Record<string, string | number | boolean | null>
    input?: unknown
  }
  update: {
    provider?: string
    model?: string
    usage?: Usage
    costUsd?: number
    timeToFirstTokenMs?: number
    finishReason?: string
    output?: unknown
    error?: SpanError
  }
}

async function bodyOf(item: Case): Promise<string> {
  const bodies: string[] = []
  const capture = async (_input: RequestInfo | URL, init?: RequestInit) => {
    const text = String(init?.body)
    bodies.push(text)
    const sent = JSON.parse(text) as { spans?: unknown[] }
    return Response.json({ accepted: sent.spans?.length ?? 0, rejected: [], warnings: [] })
  }
  const clock = manualClock(item.startTime)
  const lens = new Llmlens(
    { ...item.options, fetch: capture as typeof fetch, flushOnExit: false, gzip: false },
    { clock, ids: fixedIds([item.traceId], [item.spanId]) },
  )
  lens.span(item.name, item.span, (span) => {
    span.update(item.update)
    clock.advance(item.durationMs)
  })
  if (!(await lens.flush()) || bodies.length !== 1)
    throw new Error(`no single body for ${item.name}`)
  return bodies[0] as string
}

const cases = JSON.parse(await new Response(Bun.stdin.stream()).text()) as Case[]
const out: string[] = []
for (const item of cases) out.push(await bodyOf(item))
process.stdout.write(JSON.stringify(out))
