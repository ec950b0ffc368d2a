import { beforeAll, describe, expect, test } from 'bun:test'
import type { StoredSpan } from '@llmlens/spec'
import { type Harness, harness } from '../testing/harness.ts'

// 2026-01-15T12:00:00Z; the export file names carry this date.
const T = Date.UTC(2026, 0, 15, 12)
const RANGE = `from=${T}&to=${T + 60_000}`
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'

/** A plain call, and a failed one whose text a spreadsheet would misread. */
const SPANS = [
  {
    traceId: TRACE,
    spanId: '00f067aa0ba902b7',
    name: 'chat gpt-4o',
    startTime: T,
    endTime: T + 800,
    provider: 'openai',
    model: 'gpt-4o',
    endpoint: '/api/chat',
    usage: { inputTokens: 120, outputTokens: 80 },
    costUsd: 0.5,
    timeToFirstTokenMs: 200,
    environment: 'production',
    release: '2026.1.0',
    tags: ['beta'],
    metadata: { feature: 'summaries' },
    input: [{ role: 'user', content: 'Summarise this.' }],
    output: { role: 'assistant', content: 'A summary.' },
  },
  {
    traceId: TRACE,
    spanId: '00f067aa0ba902b8',
    parentSpanId: '00f067aa0ba902b7',
    name: 'say "hi", then\nstop',
    startTime: T + 1000,
    endTime: T + 1300,
    provider: 'anthropic',
    model: 'claude-sonnet-4',
    endpoint: '=cmd',
    userId: '+1',
    environment: '@x',
    release: '-2',
    status: 'error',
    error: { type: 'rate_limit', message: 'Slow down, please', httpStatus: 429 },
    usage: { inputTokens: 300, outputTokens: 0 },
    costUsd: 0.25,
    input: '=1+2',
    output: { role: 'assistant', content: 'a "quoted", answer' },
  },
]

const SCORES = [
  {
    traceId: TRACE,
    spanId: '00f067aa0ba902b7',
    name: 'helpfulness',
    value: 0.5,
    source: 'user',
    time: T + 2000,
  },
  {
    traceId: TRACE,
    name: 'thumbs',
    label: 'down',
    source: 'user',
    comment: 'too slow',
    time: T + 3000,
  },
]

async function withFixture(): Promise<Harness> {
  const h = harness()
  const reply = await h.post('/api/v1/ingest', { spans: SPANS, scores: SCORES })
  expect(reply.body).toMatchObject({ accepted: 4, rejected: [] })
  return h
}

async function exported(h: Harness, query: string) {
  const response = await h.request(`/api/v1/export?${query}`)
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    text: await response.text(),
  }
}

/** RFC 4180: rows end in CRLF; a quoted cell may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(cell)
      cell = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += char
  }
  expect(cell + row.join('')).toBe('')
  return rows
}

/** The rows of a CSV as objects keyed by its header, after checking every row is as wide. */
function csvRecords(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text)
  expect(rows.map((row) => row.length)).toEqual(rows.map(() => header.length))
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] as string])))
}

const SPAN_COLUMNS = [
  'traceId',
  'spanId',
  'parentSpanId',
  'name',
  'kind',
  'startTime',
  'endTime',
  'durationMs',
  'provider',
  'model',
  'modelFamily',
  'requestModel',
  'endpoint',
  'status',
  'error.type',
  'error.message',
  'error.httpStatus',
  'error.rawType',
  'usage.inputTokens',
  'usage.outputTokens',
  'usage.cacheReadTokens',
  'usage.cacheWriteTokens',
  'usage.reasoningTokens',
  'costUsd',
  'costEstimated',
  'timeToFirstTokenMs',
  'finishReason',
  'userId',
  'sessionId',
  'environment',
  'release',
  'tags',
  'metadata',
]

describe('GET /api/v1/export', () => {
  test.each([
    ['ndjson', 'application/x-ndjson'],
    ['json', 'application/json'],
    ['csv', 'text/csv; charset=utf-8'],
  ])('format=%s answers %s as an attachment named after what and when', async (format, type) => {
    const h = await withFixture()
    for (const kind of ['spans', 'scores', 'metrics']) {
      const reply = await exported(h, `${RANGE}&format=${format}&kind=${kind}`)
      expect([reply.status, reply.contentType, reply.disposition]).toEqual([
        200,
        type,
        `attachment; filename="llmlens-${kind}-2026-01-15.${format}"`,
      ])
    }
  })

  test('ndjson: one stored span per line, prompts and completions included', async () => {
    const h = await withFixture()
    const { text } = await exported(h, `${RANGE}&format=ndjson`)

    expect(text.endsWith('\n')).toBe(true)
    const lines = text.trimEnd().split('\n')
    expect(lines.map((line) => JSON.parse(line))).toEqual(h.store.trace(TRACE)?.spans ?? [])
    expect(JSON.parse(lines[1] as string).input).toBe('=1+2')
  })

  test('json: an array of the same objects, and an empty array when nothing matches', async () => {
    const h = await withFixture()

    const all = await exported(h, `${RANGE}&format=json`)
    const scores = await exported(h, `${RANGE}&format=json&kind=scores`)
    const none = await exported(h, `${RANGE}&format=json&model=gpt-5`)

    expect(JSON.parse(all.text)).toEqual(h.store.trace(TRACE)?.spans ?? [])
    expect(JSON.parse(scores.text).map((s: { name: string }) => s.name)).toEqual([
      'helpfulness',
      'thumbs',
    ])
    expect(JSON.parse(none.text)).toEqual([])
  })

  test('filters narrow the rows; content=false drops prompts and completions', async () => {
    const h = await withFixture()

    const { text } = await exported(h, `${RANGE}&model=gpt-4o&content=false`)

    const rows = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Partial<StoredSpan>)
    expect(rows.map((row) => row.spanId)).toEqual(['00f067aa0ba902b7'])
    expect('input' in (rows[0] ?? {})).toBe(false)
    expect('output' in (rows[0] ?? {})).toBe(false)
  })

  describe('csv', () => {
    test('one header; usage and error spread into columns on every row, error or not', async () => {
      const h = await withFixture()
      const { text } = await exported(h, `${RANGE}&format=csv`)

      expect(text.endsWith('\r\n')).toBe(true)
      expect(text.split('\r\n')[0]).toBe([...SPAN_COLUMNS, 'input', 'output'].join(','))
      const [ok, failed] = csvRecords(text)
      expect(ok).toMatchObject({
        'error.type': '',
        'error.message': '',
        'error.httpStatus': '',
        'usage.inputTokens': '120',
        'usage.outputTokens': '80',
        'usage.cacheReadTokens': '',
        costUsd: '0.5',
        costEstimated: 'false',
        tags: '["beta"]',
        metadata: '{"feature":"summaries"}',
        input: '[{"role":"user","content":"Summarise this."}]',
      })
      expect(failed).toMatchObject({
        'error.type': 'rate_limit',
        'error.message': 'Slow down, please',
        'error.httpStatus': '429',
        'usage.inputTokens': '300',
        durationMs: '300',
      })
    })

    test('quotes commas, quotes and line breaks the RFC 4180 way', async () => {
      const h = await withFixture()
      const { text } = await exported(h, `${RANGE}&format=csv`)

      expect(text).toContain(',"say ""hi"", then\nstop",')
      expect(text).toContain(',"Slow down, please",')
      const [, failed] = csvRecords(text)
      expect(failed?.name).toBe('say "hi", then\nstop')
      expect(failed?.output).toBe('{"role":"assistant","content":"a \\"quoted\\", answer"}')
    })

    test('text a spreadsheet would run as a formula starts with an apostrophe', async () => {
      const h = await withFixture()
      const { text } = await exported(h, `${RANGE}&format=csv`)

      const [, failed] = csvRecords(text)
      expect(failed).toMatchObject({
        endpoint: "'=cmd",
        userId: "'+1",
        environment: "'@x",
        release: "'-2",
        input: "'=1+2",
      })
    })

    test('content=false drops the input and output columns', async () => {
      const h = await withFixture()
      const { text } = await exported(h, `${RANGE}&format=csv&content=false`)

      expect(text.split('\r\n')[0]).toBe(SPAN_COLUMNS.join(','))
      expect(csvRecords(text).length).toBe(2)
    })

    test('scores: one row per score, the time range on when it was given', async () => {
      const h = await withFixture()
      const { text } = await exported(h, `from=${T + 2500}&to=${T + 60_000}&format=csv&kind=scores`)

      expect(csvRecords(text)).toEqual([
        {
          id: `${TRACE}::thumbs:user:${T + 3000}`,
          traceId: TRACE,
          spanId: '',
          name: 'thumbs',
          value: '',
          label: 'down',
          source: 'user',
          comment: 'too slow',
          time: String(T + 3000),
        },
      ])
    })

    test('metrics: a row per bucket and group, percentiles and usage in columns', async () => {
      const h = await withFixture()
      const { text } = await exported(
        h,
        `${RANGE}&format=csv&kind=metrics&stepMs=1000&groupBy=model`,
      )

      const percentiles = (name: string) =>
        ['p50', 'p95', 'p99', 'mean', 'max'].map((p) => `${name}.${p}`)
      expect(text.split('\r\n')[0]).toBe(
        [
          'model',
          'time',
          'count',
          'errorCount',
          'errorRate',
          ...percentiles('latencyMs'),
          ...percentiles('ttftMs'),
          'usage.inputTokens',
          'usage.outputTokens',
          'usage.cacheReadTokens',
          'usage.cacheWriteTokens',
          'usage.reasoningTokens',
          'costUsd',
        ].join(','),
      )
      const rows = csvRecords(text).map((r) => [
        r.model,
        r.time,
        r.count,
        r.errorRate,
        r['latencyMs.p50'],
        r.costUsd,
      ])
      expect(rows.sort()).toEqual([
        ['claude-sonnet-4', String(T + 1000), '1', '1', '300', '0.25'],
        ['gpt-4o', String(T), '1', '0', '800', '0.5'],
      ])
    })
  })

  describe('20,000 spans', () => {
    const COUNT = 20_000
    let h: Harness

    beforeAll(async () => {
      h = harness()
      // Two requests: one may carry at most 10,000 spans.
      for (let batch = 0; batch < 2; batch++) {
        const spans = Array.from({ length: COUNT / 2 }, (_, j) => {
          const i = batch * (COUNT / 2) + j
          return {
            traceId: (i + 1).toString(16).padStart(32, '0'),
            spanId: (i + 1).toString(16).padStart(16, '0'),
            name: `call ${i}`,
            startTime: T + i,
            endTime: T + i + 250,
            model: 'gpt-4o',
            usage: { inputTokens: 10, outputTokens: 5 },
            costUsd: 0.25,
            input: [{ role: 'user', content: `question ${i}` }],
          }
        })
        expect((await h.post('/api/v1/ingest', { spans })).body).toMatchObject({
          accepted: COUNT / 2,
        })
      }
    })

    /** The body as text, and the number of chunks it came in, read as a client reads it. */
    async function readChunks(response: Response): Promise<{ text: string; chunks: number }> {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      let text = ''
      let chunks = 0
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        chunks++
        text += decoder.decode(read.value, { stream: true })
      }
      return { text, chunks }
    }

    test('stream out in many chunks, every span once', async () => {
      const ndjson = await readChunks(await h.request(`/api/v1/export?${RANGE}&format=ndjson`))
      const csv = await readChunks(await h.request(`/api/v1/export?${RANGE}&format=csv`))

      expect(ndjson.chunks).toBeGreaterThan(1)
      const lines = ndjson.text.trimEnd().split('\n')
      expect(lines.length).toBe(COUNT)
      expect(new Set(lines.map((line) => JSON.parse(line).spanId)).size).toBe(COUNT)
      expect(JSON.parse(lines[COUNT - 1] as string).name).toBe(`call ${COUNT - 1}`)

      expect(csv.chunks).toBeGreaterThan(1)
      expect(csv.text.trimEnd().split('\r\n').length).toBe(COUNT + 1)
    })

    test('two exports read in turns get every row; a cancelled one lets go', async () => {
      const first = (await h.request(`/api/v1/export?${RANGE}&format=ndjson`)).body?.getReader()
      const second = (await h.request(`/api/v1/export?${RANGE}&format=ndjson`)).body?.getReader()
      const abandoned = (await h.request(`/api/v1/export?${RANGE}&format=json`)).body?.getReader()
      await abandoned?.read()
      await abandoned?.cancel()

      const decoder = new TextDecoder()
      const texts = ['', '']
      let done = [false, false]
      while (!done.every(Boolean)) {
        const reads = await Promise.all([first?.read(), second?.read()])
        reads.forEach((read, i) => {
          if (read?.value) texts[i] += decoder.decode(read.value)
        })
        done = reads.map((read) => read?.done ?? true)
      }

      expect(texts.map((text) => text.trimEnd().split('\n').length)).toEqual([COUNT, COUNT])
      const again = await h.request(`/api/v1/export?${RANGE}&format=json`)
      expect((await again.json()).length).toBe(COUNT)
    })
  })

  test('an empty CSV export still has its header, the same as a full one', async () => {
    const h = harness()
    const empty = await h.request('/api/v1/export?format=csv&kind=spans&from=0&to=1')
    const header = (await empty.text()).split('\r\n')[0]?.split(',') ?? []
    expect(header.slice(0, 3)).toEqual(['traceId', 'spanId', 'parentSpanId'])
    expect(header).toContain('usage.reasoningTokens')
    expect(header).toContain('error.rawType')
    expect(header.at(-1)).toBe('output')
    const scores = await h.request('/api/v1/export?format=csv&kind=scores&from=0&to=1')
    expect(await scores.text()).toBe('id,traceId,spanId,name,value,label,source,comment,time\r\n')
  })
})
