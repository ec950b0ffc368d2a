/**
 * What the TypeScript SDK adds to each model call: thousands of interleaved pairs of the same
 * chat completion through the real `openai` client against the local fake provider, one call
 * plain and one observed, in alternating order so that drift in the machine hits both alike.
 * The added latency of a pair is observed minus plain; its median and p99 are reported next to
 * an A/A row (plain against plain), which is the harness's own noise, and next to the official
 * OpenTelemetry OpenAI instrumentation measured by the same harness.
 *
 *   bun bench/src/sdk-overhead.ts [--pairs 5000]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base'
import { createLlmlens } from 'llmlens'
import OpenAI from 'openai'
import { createFakeProvider } from '../../fake-provider/src/index.ts'
import { markdownTable } from './report.ts'
import { quantile } from './stats.ts'

/** The targets of the SDK issue, in microseconds added per call. */
export const SDK_OVERHEAD_TARGETS = { medianUs: 10, p99Us: 50 }

export interface OverheadRow {
  name: string
  pairs: number
  plainMedianUs: number
  medianAddedUs: number
  p99AddedUs: number
}

export interface SdkOverheadResult {
  rows: OverheadRow[]
}

type Call = () => Promise<unknown>

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface Program {
  url: string
  stop(): Promise<void>
}

/**
 * A Bun program of this repository in its own process, started when it prints its URL. The fake
 * provider and the collector run apart from the measured client: in its process they would take
 * turns on its event loop, and their work would be counted as the SDK's.
 */
async function startProgram(args: string[], stream: 'stdout' | 'stderr', pattern: RegExp) {
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: REPO_ROOT,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const reader = child[stream].getReader()
  let log = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) throw new Error(`${args[0]} exited before starting:\n${log}`)
    log += new TextDecoder().decode(value)
    const url = pattern.exec(log)?.[1]
    if (url === undefined) continue
    reader.releaseLock()
    void child[stream].pipeTo(new WritableStream())
    const stop = async () => {
      child.kill('SIGTERM')
      await child.exited
    }
    return { url, stop } satisfies Program
  }
}

const MESSAGES = [{ role: 'user' as const, content: 'Summarise the weekly latency report' }]

function chatCall(client: OpenAI): Call {
  return () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })
}

async function durationUs(call: Call): Promise<number> {
  const start = performance.now()
  await call()
  return (performance.now() - start) * 1000
}

/**
 * `pairs` pairs after `warmup` unmeasured ones; the order inside a pair alternates, since the
 * second call of a pair finds warmer caches and a reused connection.
 */
async function measurePairs(
  name: string,
  plain: Call,
  observed: Call,
  pairs: number,
  warmup: number,
) {
  const added: number[] = []
  const plainUs: number[] = []
  for (let i = 0; i < warmup + pairs; i++) {
    let plainTime: number
    let observedTime: number
    if (i % 2 === 0) {
      plainTime = await durationUs(plain)
      observedTime = await durationUs(observed)
    } else {
      observedTime = await durationUs(observed)
      plainTime = await durationUs(plain)
    }
    if (i < warmup) continue
    added.push(observedTime - plainTime)
    plainUs.push(plainTime)
  }
  return {
    name,
    pairs,
    plainMedianUs: quantile(plainUs, 0.5),
    medianAddedUs: quantile(added, 0.5),
    p99AddedUs: quantile(added, 0.99),
  }
}

/** Accepts spans and drops them: the peer pays for its instrumentation, not for a network. */
const discardingExporter: SpanExporter = {
  export(_spans: ReadableSpan[], done) {
    done({ code: 0 })
  },
  shutdown: () => Promise.resolve(),
}

/** Makes a client; each transport makes its own, and every client of a row is fresh. */
type ClientFactory = () => OpenAI

/**
 * The OpenTelemetry instrumentation patches `Completions.prototype.create` for every client. Its
 * module hook does not run under Bun and it declares support for openai < 7, so its own patch
 * function is applied to the same openai module directly. The plain client of its pairs keeps
 * the unpatched method as an own property.
 */
async function otelRow(
  name: string,
  client: ClientFactory,
  pairs: number,
  warmup: number,
): Promise<OverheadRow> {
  const completions = OpenAI.Chat.Completions.prototype
  const unpatched = completions.create
  const tracing = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(discardingExporter)],
  })
  const instrumentation = new OpenAIInstrumentation({ enabled: false, captureMessageContent: true })
  instrumentation.setTracerProvider(tracing)
  for (const definition of instrumentation.getModuleDefinitions()) {
    definition.patch?.({ OpenAI })
  }
  instrumentation.enable()
  try {
    const plainClient = client()
    plainClient.chat.completions.create = unpatched
    return await measurePairs(name, chatCall(plainClient), chatCall(client()), pairs, warmup)
  } finally {
    instrumentation.disable()
    completions.create = unpatched
    await tracing.shutdown()
  }
}

/** The four rows of one transport: noise, llmlens with and without a collector, the peer. */
async function transportRows(
  transport: string,
  client: ClientFactory,
  collectorUrl: string,
  pairs: number,
): Promise<OverheadRow[]> {
  const warmup = Math.min(500, Math.ceil(pairs / 10))
  const row = (name: string, observed: OpenAI, plain: OpenAI = client()) =>
    measurePairs(`${transport}: ${name}`, chatCall(plain), chatCall(observed), pairs, warmup)
  const rows = [await row('A/A, plain against plain (noise)', client())]

  const up = createLlmlens({ url: collectorUrl, flushOnExit: false })
  rows.push(await row('llmlens, collector running', up.observe(client())))
  await up.shutdown()

  // Port 9 (discard) has no listener here: every export is refused, retried and dropped.
  const stopped = createLlmlens({ url: 'http://127.0.0.1:9', flushOnExit: false })
  rows.push(await row('llmlens, collector stopped', stopped.observe(client())))
  await stopped.shutdown(100)

  rows.push(
    await otelRow(`${transport}: OpenTelemetry openai, spans discarded`, client, pairs, warmup),
  )
  return rows
}

/**
 * Every configuration over two transports. Over loopback HTTP the fake provider runs in its own
 * process, as a real API would; the second transport hands each request to the fake provider's
 * handler inside the client's process, which removes the network's noise and leaves the SDK's
 * own cost.
 */
export async function runSdkOverheadBench(pairs: number): Promise<SdkOverheadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'llmlens-sdk-bench-'))
  const provider = await startProgram(
    ['fake-provider/src/main.ts', '--port', '0'],
    'stdout',
    /fake-provider listening on (\S+)/,
  )
  const server = await startProgram(
    ['server/src/main.ts', '--port', '0', '--db', join(dir, 'bench.db')],
    'stderr',
    /msg="llmlens started" url=(\S+)/,
  )
  const handler = createFakeProvider().fetch
  const inProcessFetch = async (input: string | URL | Request, init?: RequestInit) =>
    handler(new Request(input, init))
  const options = { apiKey: 'bench', maxRetries: 0 }
  try {
    const loopback = () => new OpenAI({ ...options, baseURL: `${provider.url}/v1` })
    const inProcess = () =>
      new OpenAI({ ...options, baseURL: 'http://fake-provider/v1', fetch: inProcessFetch })
    return {
      rows: [
        ...(await transportRows('loopback HTTP', loopback, server.url, pairs)),
        ...(await transportRows('in-process', inProcess, server.url, pairs)),
      ],
    }
  } finally {
    await server.stop()
    await provider.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const us = (value: number) => `${value.toFixed(1)} µs`

export function renderSdkOverhead(result: SdkOverheadResult): string {
  const { medianUs, p99Us } = SDK_OVERHEAD_TARGETS
  const rows = result.rows.map((row) => [
    row.name,
    row.pairs.toLocaleString('en-US'),
    us(row.plainMedianUs),
    us(row.medianAddedUs),
    us(row.p99AddedUs),
  ])
  const table = markdownTable(
    ['SDK overhead per chat call', 'pairs', 'plain call, median', 'added, median', 'added, p99'],
    rows,
  )
  return `${table}\n\nTargets: added median ≤ ${medianUs} µs, p99 ≤ ${p99Us} µs; the A/A row is the harness's noise floor.`
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: { pairs: { type: 'string', default: '5000' } },
    strict: true,
  })
  const pairs = Number(values.pairs)
  if (!Number.isInteger(pairs) || pairs < 10) {
    throw new Error(`--pairs must be an integer >= 10 (actual: ${values.pairs})`)
  }
  process.stdout.write(`${renderSdkOverhead(await runSdkOverheadBench(pairs))}\n`)
}
