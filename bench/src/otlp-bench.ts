import { join } from 'node:path'
import { OTLP_TYPES } from '@llmlens/server/src/otlp/proto-schema.ts'
import type { Span } from '@llmlens/spec'
import { idSegment, TEMPLATE_ID_SEGMENT } from './bodies.ts'
import { httpThroughput, type Throughput } from './ingest-bench.ts'
import { type BenchServer, startBenchServer, withServer } from './servers.ts'
import { generateSpans } from './spans.ts'
import { BASE_MS, prepareWorkload, templateOf } from './workload.ts'

/** The OTLP issue's target for protobuf ingest, in spans per second. */
export const OTLP_TARGET_SPANS_PER_SECOND = 30_000

const WARMUP_BATCHES = 8
const TEMPLATE_COUNT = 4

export interface OtlpRun {
  batchSize: number
  concurrency: number
  /** POST /v1/traces, protobuf, the same spans as the native run in OTel GenAI attributes. */
  otlpProtobuf: Throughput
  /** POST /api/v1/ingest, JSON: the native path in the same run, the baseline. */
  native: Throughput
  bodyBytes: { otlpProtobuf: number; native: number }
}

type OtlpValue = { stringValue: string } | { intValue: number } | { doubleValue: number }
const str = (value: string): OtlpValue => ({ stringValue: value })
const int = (value: number): OtlpValue => ({ intValue: value })

const OPERATIONS: Record<string, string> = {
  llm: 'chat',
  embedding: 'embeddings',
  tool: 'execute_tool',
  agent: 'invoke_agent',
}

/** One native span as an OTel GenAI instrumentation reports it (semantic conventions 1.37). */
function otlpSpan(span: Span) {
  const attributes: { key: string; value: OtlpValue }[] = []
  const add = (key: string, value: OtlpValue | null) => {
    if (value !== null) attributes.push({ key, value })
  }
  add('gen_ai.operation.name', str(OPERATIONS[span.kind ?? 'llm'] ?? 'chat'))
  add('gen_ai.provider.name', span.provider ? str(span.provider) : null)
  add('gen_ai.request.model', span.model ? str(span.model) : null)
  add('gen_ai.response.model', span.model ? str(span.model) : null)
  const usage = span.usage
  add('gen_ai.usage.input_tokens', usage?.inputTokens != null ? int(usage.inputTokens) : null)
  add('gen_ai.usage.output_tokens', usage?.outputTokens != null ? int(usage.outputTokens) : null)
  add(
    'gen_ai.usage.cache_read.input_tokens',
    usage?.cacheReadTokens ? int(usage.cacheReadTokens) : null,
  )
  add('gen_ai.response.finish_reasons', span.finishReason ? str(span.finishReason) : null)
  add('gen_ai.conversation.id', span.sessionId ? str(span.sessionId) : null)
  add('user.id', span.userId ? str(span.userId) : null)
  add('gen_ai.input.messages', span.input ? str(JSON.stringify(span.input)) : null)
  add('gen_ai.output.messages', span.output ? str(JSON.stringify([span.output])) : null)
  add('error.type', span.error ? str(span.error.type ?? 'unknown') : null)

  const nanos = (ms: number) => BigInt(Math.round(ms * 1000)) * 1000n
  return {
    traceId: Buffer.from(span.traceId, 'hex'),
    spanId: Buffer.from(span.spanId, 'hex'),
    parentSpanId: span.parentSpanId ? Buffer.from(span.parentSpanId, 'hex') : undefined,
    name: span.name,
    kind: 3,
    startTimeUnixNano: nanos(span.startTime as number).toString(),
    endTimeUnixNano: nanos(span.endTime as number).toString(),
    attributes,
    status: span.status === 'error' ? { code: 2, message: span.error?.message ?? '' } : {},
  }
}

/**
 * An encoded export request that can be re-sent under fresh ids, as BodyTemplate does for JSON:
 * every id begins with the template's 4-byte segment, which each batch overwrites in place.
 */
export class ProtobufTemplate {
  readonly spanCount: number
  readonly byteLength: number
  private readonly bytes: Uint8Array
  private readonly offsets: number[] = []

  constructor(spans: readonly Span[]) {
    this.spanCount = spans.length
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: str('bench-app') }] },
          scopeSpans: [{ scope: { name: 'bench' }, spans: spans.map(otlpSpan) }],
        },
      ],
    }
    this.bytes = OTLP_TYPES.traceRequest
      .encode(OTLP_TYPES.traceRequest.fromObject(request))
      .finish()
    this.byteLength = this.bytes.length

    const segment = Buffer.from(TEMPLATE_ID_SEGMENT, 'hex')
    const haystack = Buffer.from(this.bytes)
    for (let at = haystack.indexOf(segment); at !== -1; at = haystack.indexOf(segment, at + 4)) {
      this.offsets.push(at)
    }
    const expected = spans.reduce((sum, span) => sum + (span.parentSpanId ? 3 : 2), 0)
    if (this.offsets.length !== expected) {
      throw new Error(
        `protobuf template has ${this.offsets.length} id segments, expected ${expected}`,
      )
    }
  }

  body(batchIndex: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.bytes)
    const segment = Buffer.from(idSegment(batchIndex), 'hex')
    for (const offset of this.offsets) out.set(segment, offset)
    return out
  }
}

/** Spans/s through POST /v1/traces in protobuf, `concurrency` requests in flight. */
async function otlpThroughput(
  server: BenchServer,
  templates: readonly ProtobufTemplate[],
  batchSize: number,
  spansTotal: number,
  concurrency: number,
): Promise<Throughput> {
  return withServer(server, async ({ url }) => {
    const post = async (batchIndex: number) => {
      const template = templateOf(templates, batchIndex)
      const response = await fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: template.body(batchIndex),
      })
      const reply = new Uint8Array(await response.arrayBuffer())
      const decoded = OTLP_TYPES.traceResponse.toObject(OTLP_TYPES.traceResponse.decode(reply), {
        longs: Number,
      }) as { partialSuccess?: { rejectedSpans?: number; errorMessage?: string } }
      if (response.status !== 200 || (decoded.partialSuccess?.rejectedSpans ?? 0) > 0) {
        const shown = JSON.stringify(decoded).slice(0, 400)
        throw new Error(`OTLP batch ${batchIndex} got HTTP ${response.status}: ${shown}`)
      }
    }
    let next = 0
    const pool = async (count: number, offset: number) => {
      next = 0
      // Batch 0 would give its first span an id of zeros, which OTLP calls no id at all.
      const worker = async () => {
        while (next < count) await post(1 + offset + next++)
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    }

    await pool(WARMUP_BATCHES, 0)
    const batches = Math.ceil(spansTotal / batchSize)
    const startMs = performance.now()
    await pool(batches, WARMUP_BATCHES)
    const seconds = (performance.now() - startMs) / 1000
    const spans = batches * batchSize
    return { spans, seconds, spansPerSecond: spans / seconds }
  })
}

/** OTLP protobuf ingest against native JSON ingest of the same spans, each on a fresh file. */
export async function runOtlpBench(
  dir: string,
  batchSize: number,
  spansTotal: number,
  concurrency: number,
  seed: number,
): Promise<OtlpRun> {
  const templates = Array.from(
    { length: TEMPLATE_COUNT },
    (_, t) =>
      new ProtobufTemplate(
        generateSpans(batchSize, {
          seed: seed + t,
          startMs: BASE_MS + t * 60_000,
          spreadMs: 60_000,
          idSegment: TEMPLATE_ID_SEGMENT,
        }),
      ),
  )
  const workload = prepareWorkload(batchSize, seed)
  const native = await httpThroughput(
    startBenchServer(join(dir, `otlp-native-${batchSize}.db`)),
    workload,
    spansTotal,
    concurrency,
  )
  const otlpProtobuf = await otlpThroughput(
    startBenchServer(join(dir, `otlp-protobuf-${batchSize}.db`)),
    templates,
    batchSize,
    spansTotal,
    concurrency,
  )
  return {
    batchSize,
    concurrency,
    otlpProtobuf,
    native,
    bodyBytes: {
      otlpProtobuf: templates[0]?.byteLength ?? 0,
      native: workload.bodies[0]?.byteLength ?? 0,
    },
  }
}
