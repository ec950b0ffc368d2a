/**
 * `npm run demo`: fills a running llmlens server with realistic multi-model traffic.
 * It starts the fake provider in-process, makes a few real calls to it, backfills hours of
 * history, then streams live traffic until Ctrl-C (or stops after the backfill with --once).
 */
import { createFakeProvider } from '../fake-provider/src/index.ts'
import { DEMO_USAGE, type DemoArgs, parseDemoArgs } from './demo/args.ts'
import { checkServer, createIngestClient, type IngestClient, IngestError } from './demo/ingest.ts'
import { probe, runLive } from './demo/live.ts'
import type { SpikeWindow } from './demo/trace-builder.ts'
import { backfillOptions, generateTraces, toBatches } from './demo/traffic.ts'
import type { Trace } from './demo/wire.ts'

const PROBE_CALLS = 12
// Live traffic gets its own spike a few minutes in, so a live dashboard shows one too.
const LIVE_SPIKE_DELAY_MS = 3 * 60_000
const LIVE_SPIKE_DURATION_MS = 4 * 60_000

const parsed = parseDemoArgs(Bun.argv.slice(2), process.env, Date.now() % 2 ** 31)
if (typeof parsed === 'string') {
  console.error(`demo: ${parsed}\n\n${DEMO_USAGE}`)
  process.exit(2)
}
const args: DemoArgs = parsed
if (args.help) {
  console.log(DEMO_USAGE)
  process.exit(0)
}

const unreachable = await checkServer(args.url)
if (unreachable !== null) {
  console.error(`demo: ${unreachable}`)
  process.exit(1)
}

const shutdown = new AbortController()
process.on('SIGINT', () => shutdown.abort())
process.on('SIGTERM', () => shutdown.abort())

const liveSpike: SpikeWindow = {
  model: 'gpt-4o-mini',
  startMs: Date.now() + LIVE_SPIKE_DELAY_MS,
  durationMs: LIVE_SPIKE_DURATION_MS,
  multiplier: 5,
}
const fake = await createFakeProvider({
  latency: 'realistic',
  seed: args.seed,
  spikes: [liveSpike],
}).start(0)
const ingest = createIngestClient(args.url, args.apiKey)

try {
  console.log(`demo: seed ${args.seed}, fake provider on ${fake.url}, sending to ${args.url}`)
  await probePhase(fake.url, ingest)
  await backfillPhase(ingest)
  if (!args.once && !shutdown.signal.aborted) await livePhase(fake.url, ingest)
} catch (error) {
  console.error(`demo: ${error instanceof IngestError ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  await fake.stop()
}

async function probePhase(providerUrl: string, client: IngestClient): Promise<void> {
  const traces = await probe(providerUrl, PROBE_CALLS, args.seed, shutdown.signal)
  const spans = traces.flatMap((trace) => trace.spans)
  const durationsMs = spans.map((span) => span.endTime - span.startTime).sort((a, b) => a - b)
  const medianMs = Math.round(durationsMs[Math.floor(durationsMs.length / 2)] ?? 0)
  await send(client, traces)
  console.log(`probe: ${spans.length} real calls to the fake provider, median ${medianMs} ms`)
}

async function backfillPhase(client: IngestClient): Promise<void> {
  const startedMs = performance.now()
  const options = backfillOptions(Date.now(), args.hours, args.rate, args.seed)
  const totals = await send(client, generateTraces(options))
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(1)
  const { model, multiplier, startMs } = options.spike
  const spike = `${model} x${multiplier} at ${clock(startMs)}`
  console.log(
    `backfill: ${args.hours} h, ${totals.spans} spans, ${totals.scores} scores in ` +
      `${totals.batches} batches (${seconds} s); latency spike: ${spike}` +
      rejectedNote(totals.rejected, totals.firstRejection),
  )
}

async function livePhase(providerUrl: string, client: IngestClient): Promise<void> {
  console.log(
    `live: ~${args.liveRate} traces/s, ` +
      `spike on ${liveSpike.model} at ${clock(liveSpike.startMs)}; ` +
      'Ctrl-C to stop',
  )
  const stats = await runLive({
    providerUrl,
    ingest: client,
    tracesPerSecond: args.liveRate,
    seed: args.seed + 1,
    spike: liveSpike,
    signal: shutdown.signal,
    warn: (message) => console.error(message),
  })
  console.log(
    `live: stopped after ${stats.traces} traces (${stats.realCalls} real calls), ` +
      `${stats.spans} spans, ${stats.scores} scores` +
      rejectedNote(stats.rejected, null),
  )
}

interface SendTotals {
  spans: number
  scores: number
  batches: number
  rejected: number
  firstRejection: string | null
}

/** Posts traces in bodies of at most 500 items, one after another; stops on Ctrl-C. */
async function send(client: IngestClient, traces: Iterable<Trace>): Promise<SendTotals> {
  const totals: SendTotals = { spans: 0, scores: 0, batches: 0, rejected: 0, firstRejection: null }
  for (const batch of toBatches(traces)) {
    if (shutdown.signal.aborted) break
    const result = await client.post(batch)
    totals.spans += batch.spans.length
    totals.scores += batch.scores.length
    totals.batches++
    totals.rejected += result.rejected
    totals.firstRejection ??= result.firstRejection
  }
  return totals
}

function rejectedNote(rejected: number, first: string | null): string {
  if (rejected === 0) return ''
  return `; the server rejected ${rejected}${first ? `, first: ${first}` : ''}`
}

function clock(timeMs: number): string {
  return new Date(timeMs).toTimeString().slice(0, 5)
}
