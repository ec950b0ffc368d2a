import { describe, expect, test } from 'bun:test'
import { type Harness, harness } from '../testing/harness.ts'

const T = Date.UTC(2026, 0, 15, 12)
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'

const span = (n: number) => ({
  traceId: TRACE,
  spanId: n.toString(16).padStart(16, '0'),
  name: `chat ${n}`,
  startTime: T + n,
  endTime: T + n + 400,
  provider: 'openai',
  model: 'gpt-4o',
  usage: { inputTokens: 100, outputTokens: 20 },
  costUsd: 0.5,
  input: [{ role: 'user', content: `secret prompt ${n}` }],
  output: { role: 'assistant', content: `secret answer ${n}` },
})

interface SseEvent {
  event: string
  data: unknown
}

/**
 * A client of /api/v1/stream that reads only when told to, so a test decides whether it keeps
 * up. One read is kept pending across waits: a read abandoned at a timeout would lose a chunk.
 */
class SseClient {
  ended = false
  /** Counted as chunks arrive: rescanning the whole text per chunk is quadratic in events. */
  eventsSeen = 0
  keepAlivesSeen = 0
  private readonly chunks: string[] = []
  // The last characters so far, enough to finish a pattern that a chunk boundary splits.
  private carry = ''
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>
  private readonly decoder = new TextDecoder()
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | null = null

  constructor(response: Response) {
    this.reader = (response.body as ReadableStream<Uint8Array>).getReader()
  }

  get text(): string {
    return this.chunks.join('')
  }

  /** Reads until `done` holds, the stream ends, or `timeoutMs` passes; returns `done()`. */
  async readUntil(done: () => boolean, timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!done() && !this.ended) {
      const left = deadline - Date.now()
      if (left <= 0) return false
      this.pending ??= this.reader.read()
      const read = await Promise.race([this.pending, Bun.sleep(left).then(() => null)])
      if (read === null) return false
      this.pending = null
      if (read.done) this.ended = true
      else this.append(this.decoder.decode(read.value, { stream: true }))
    }
    return done()
  }

  private append(chunk: string): void {
    // A pattern one character longer than the carry cannot lie wholly inside it, so no match
    // is counted twice.
    const count = (pattern: string) => {
      const window = this.carry.slice(-(pattern.length - 1)) + chunk
      let n = 0
      for (let at = window.indexOf(pattern); at !== -1; at = window.indexOf(pattern, at + 1)) n++
      return n
    }
    this.eventsSeen += count('\nevent: ')
    this.keepAlivesSeen += count(': keep-alive\n\n')
    this.carry = (this.carry + chunk).slice(-16)
    this.chunks.push(chunk)
  }

  /** Every complete event so far; comment lines (`: …`) are not events. */
  events(): SseEvent[] {
    return this.text
      .split('\n\n')
      .slice(0, -1)
      .filter((block) => !block.startsWith(':'))
      .map((block) => {
        const fields = new Map(
          block.split('\n').map((line) => line.split(/: (.*)/s) as [string, string]),
        )
        return { event: fields.get('event') ?? '', data: JSON.parse(fields.get('data') ?? 'null') }
      })
  }

  cancel(): Promise<void> {
    return this.reader.cancel()
  }
}

async function connect(h: Harness): Promise<SseClient> {
  const response = await h.request('/api/v1/stream')
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/event-stream')
  return new SseClient(response)
}

describe('GET /api/v1/stream', () => {
  test('announces each stored span, without its content, and each score', async () => {
    const h = harness()
    const client = await connect(h)
    expect(await client.readUntil(() => client.text.startsWith(': connected\n\n'))).toBe(true)
    expect(h.hub.size).toBe(1)

    const score = {
      traceId: TRACE,
      spanId: span(1).spanId,
      name: 'helpfulness',
      value: 0.5,
      time: T + 900,
    }
    await h.post('/api/v1/ingest', { spans: [span(1)], scores: [score] })
    expect(await client.readUntil(() => client.eventsSeen === 2)).toBe(true)

    const stored = h.store.trace(TRACE)
    expect(client.events()).toEqual([
      { event: 'span', data: { ...stored?.spans[0], input: null, output: null } },
      { event: 'score', data: stored?.scores[0] },
    ])
    expect(client.text).not.toContain('secret')
    await client.cancel()
  })

  test('a resent span or score is not announced again', async () => {
    const h = harness()
    const client = await connect(h)
    const score = { traceId: TRACE, name: 'thumbs', label: 'up', time: T + 900 }
    await h.post('/api/v1/ingest', { spans: [span(1)], scores: [score] })
    await h.post('/api/v1/ingest', { spans: [span(1)], scores: [score] })
    await h.post('/api/v1/ingest', { spans: [span(1), span(2)] })

    // Events go out in order, so a duplicate would arrive before span 2.
    expect(await client.readUntil(() => client.eventsSeen === 3)).toBe(true)
    const events = client.events().map((e) => `${e.event} ${(e.data as { name: string }).name}`)
    expect(events).toEqual(['span chat 1', 'score thumbs', 'span chat 2'])
    await client.cancel()
  })

  test('an idle stream carries a keep-alive comment every heartbeatMs', async () => {
    const h = harness({ stream: { heartbeatMs: 50, queueMax: 10 } })
    const client = await connect(h)

    expect(await client.readUntil(() => client.keepAlivesSeen === 2, 1000)).toBe(true)
    expect(client.events()).toEqual([])
    await client.cancel()
  })

  // Nothing is read, so every event of a request waits in the queue: a request publishes all
  // its events before the stream gets a turn to write one.
  test('a client that stops reading keeps its place with queueMax events waiting', async () => {
    const h = harness({ stream: { heartbeatMs: 50, queueMax: 10 } })
    const slow = await connect(h)

    await h.post('/api/v1/ingest', { spans: Array.from({ length: 10 }, (_, i) => span(i + 1)) })

    expect([h.hub.size, h.hub.droppedSubscribers]).toEqual([1, 0])
    await slow.cancel()
  })

  test('a client that stops reading is dropped once more than queueMax events wait', async () => {
    const h = harness({ stream: { heartbeatMs: 50, queueMax: 10 } })
    const slow = await connect(h)

    await h.post('/api/v1/ingest', { spans: Array.from({ length: 11 }, (_, i) => span(i + 1)) })

    expect([h.hub.size, h.hub.droppedSubscribers]).toEqual([0, 1])
    // It may reconnect and read what it missed from the query API; this stream ends.
    await slow.readUntil(() => false, 1000)
    expect(slow.ended).toBe(true)
  })

  test('a client that disconnects is unsubscribed', async () => {
    const h = harness()
    const client = await connect(h)
    await client.readUntil(() => client.text.includes(': connected'))
    expect(h.hub.size).toBe(1)

    await client.cancel()
    await Bun.sleep(10)

    expect([h.hub.size, h.hub.droppedSubscribers]).toEqual([0, 0])
  })

  test('with the default queue, a reading client survives the largest ingest request', async () => {
    const h = harness()
    const client = await connect(h)
    await client.readUntil(() => client.text.includes(': connected'))
    const spans = Array.from({ length: 10_000 }, (_, i) => span(i + 1))
    const scores = [{ traceId: TRACE, name: 'thumbs', label: 'up', time: T }]

    // One request may carry 10,000 spans and 10,000 scores, all published before any is sent.
    const reply = await h.post('/api/v1/ingest', { spans, scores })
    expect(reply.body).toMatchObject({ accepted: 10_001 })

    expect([h.hub.size, h.hub.droppedSubscribers]).toEqual([1, 0])
    expect(await client.readUntil(() => client.eventsSeen === 10_001, 4000)).toBe(true)
    await client.cancel()
  })
})
