import type { IngestReply } from '@llmlens/spec'
import { startBenchServer, withServer } from './servers.ts'
import { generateSpans } from './spans.ts'
import { quantile, sleep } from './stats.ts'
import { BASE_MS } from './workload.ts'

/** A span that has not reached the stream this long after its POST counts as lost. */
const ARRIVAL_TIMEOUT_MS = 5_000
/** Posts before the measured ones: they compile the paths and open the keep-alive connection. */
const WARMUP_POSTS = 20

export interface Percentiles {
  p50: number
  p99: number
  max: number
}

export interface SseResult {
  posts: number
  gapMs: number
  /** From just before each POST to the chunk carrying its `event: span`. */
  delayMs: Percentiles
  /** The same POSTs' round trips, reply body read: the baseline. */
  roundTripMs: Percentiles
}

function percentiles(values: readonly number[]): Percentiles {
  return { p50: quantile(values, 0.5), p99: quantile(values, 0.99), max: Math.max(...values) }
}

/** The span events of an SSE response, each stamped with when its chunk arrived. */
function listen(body: ReadableStream<Uint8Array>) {
  const waiters = new Map<string, (atMs: number) => void>()
  let connected: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    connected = resolve
  })

  const handle = (message: string, atMs: number) => {
    if (message.startsWith(': connected')) return connected()
    let event = ''
    const data: string[] = []
    for (const line of message.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
    }
    if (event !== 'span') return
    const { spanId } = JSON.parse(data.join('\n')) as { spanId: string }
    waiters.get(spanId)?.(atMs)
    waiters.delete(spanId)
  }

  const reading = (async () => {
    const reader = body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        const atMs = performance.now()
        buffer += decoder.decode(value, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          handle(buffer.slice(0, end), atMs)
          buffer = buffer.slice(end + 2)
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error
    }
  })()

  const arrival = (spanId: string) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(spanId)
        reject(new Error(`span ${spanId} did not reach the stream within ${ARRIVAL_TIMEOUT_MS} ms`))
      }, ARRIVAL_TIMEOUT_MS)
      waiters.set(spanId, (atMs) => {
        clearTimeout(timer)
        resolve(atMs)
      })
    })
  return { ready, arrival, reading }
}

/**
 * Receipt-to-SSE delay: single-span batches POSTed one at a time, `gapMs` apart, to a server
 * with one live client; each span is timed from just before its POST to its event's arrival.
 */
export async function runSseBench(dbPath: string, posts: number, gapMs: number, seed: number) {
  const spans = generateSpans(WARMUP_POSTS + posts, {
    seed,
    startMs: BASE_MS,
    spreadMs: 60_000,
    idSegment: '5e5e0001',
  })

  return withServer(startBenchServer(dbPath), async (server): Promise<SseResult> => {
    const abort = new AbortController()
    const stream = await fetch(`${server.url}/api/v1/stream`, { signal: abort.signal })
    if (stream.status !== 200 || stream.body === null) {
      throw new Error(`GET /api/v1/stream answered ${stream.status}`)
    }
    const live = listen(stream.body)
    await live.ready

    const delays: number[] = []
    const roundTrips: number[] = []
    for (const [i, span] of spans.entries()) {
      const body = JSON.stringify({ spans: [span] })
      const arrived = live.arrival(span.spanId)
      const startMs = performance.now()
      const response = await fetch(`${server.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      const reply = (await response.json()) as IngestReply
      const roundTripMs = performance.now() - startMs
      if (reply.accepted !== 1)
        throw new Error(`POST ${i} was not accepted: ${JSON.stringify(reply)}`)
      const arrivedMs = await arrived
      if (i >= WARMUP_POSTS) {
        delays.push(arrivedMs - startMs)
        roundTrips.push(roundTripMs)
      }
      await sleep(gapMs)
    }

    abort.abort()
    await live.reading
    return { posts, gapMs, delayMs: percentiles(delays), roundTripMs: percentiles(roundTrips) }
  })
}
