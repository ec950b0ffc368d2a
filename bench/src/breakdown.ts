import { normaliseSpan } from '@llmlens/server/src/ingest/normalise.ts'
import { validateSpan } from '@llmlens/server/src/ingest/validate.ts'
import { createPricer, type Pricer } from '@llmlens/server/src/pricing/index.ts'
import { Hub } from '@llmlens/server/src/realtime/hub.ts'
import { SqliteStore } from '@llmlens/server/src/store/sqlite/sqlite-store.ts'
import type { NewSpan } from '@llmlens/server/src/store/types.ts'
import type { Span } from '@llmlens/spec'
import { median, sum, timed } from './stats.ts'
import type { Workload } from './workload.ts'

export interface Stage {
  name: string
  msMedian: number
  /** The mean counts what a median skips, such as a WAL checkpoint every few commits. */
  msMean: number
  /** False for work that the HTTP runs did not do, or that another stage already contains. */
  inHttpPath: boolean
}

export interface Breakdown {
  batchSize: number
  repeats: number
  stages: Stage[]
}

const STAGES = {
  decode: 'UTF-8 decode (readJson)',
  parse: 'JSON.parse',
  validate: 'validateSpan (Ajv), each span',
  normalise: 'normaliseSpan incl. pricing, each span',
  pricing: '  of which pricing (vs. a stub pricer)',
  write: 'store.write, one transaction',
  publish: 'hub.publish to 1 live client (none in the HTTP runs)',
} as const
type StageKey = keyof typeof STAGES

const stubPricer: Pricer = { price: () => null }

/** Batch numbers far past any run's, so that the breakdown can write to a run's file. */
const FIRST_BATCH_INDEX = 0x4000_0000

function normaliseAll(spans: readonly unknown[], pricer: Pricer): NewSpan[] {
  return spans.map((raw, index) => {
    const result = normaliseSpan(raw as Span, `spans[${index}]`, pricer)
    if (!result.ok) throw new Error(`span ${index} rejected: ${JSON.stringify(result.errors)}`)
    return result.value
  })
}

/** What a live client is sent, as ingest.ts builds it: the span without its content. */
function liveSpan(span: NewSpan) {
  const { inputJson: _input, outputJson: _output, ...rest } = span
  return { ...rest, input: null, output: null }
}

/** One pass of the ingest pipeline over one body, each step timed on its own. */
function pass(body: Uint8Array, pricer: Pricer, store: SqliteStore, hub: Hub) {
  const decode = timed(() => new TextDecoder('utf-8', { fatal: true }).decode(body))
  const parse = timed(() => JSON.parse(decode.value) as { spans: unknown[] })
  const spans = parse.value.spans

  const validate = timed(() => spans.map((raw, i) => validateSpan(raw, `spans[${i}]`)))
  if (validate.value.some((errors) => errors !== null)) throw new Error('a span failed validation')
  const normalise = timed(() => normaliseAll(spans, pricer))
  const unpriced = timed(() => normaliseAll(spans, stubPricer))
  const write = timed(() => store.write(normalise.value, []))
  if (write.value.newSpans.length !== spans.length) throw new Error('store.write skipped spans')
  const publish = timed(() => {
    for (const span of write.value.newSpans) hub.publish('span', liveSpan(span))
  })

  return {
    decode: decode.ms,
    parse: parse.ms,
    validate: validate.ms,
    normalise: normalise.ms,
    pricing: normalise.ms - unpriced.ms,
    write: write.ms,
    publish: publish.ms,
  } satisfies Record<StageKey, number>
}

/**
 * Where the time of one batch goes, stage by stage, by calling the pieces the ingest route
 * calls: `repeats` passes, each under fresh ids, after two untimed passes. `dbPath` may hold
 * spans already; the store's commits cost more as its indexes grow.
 */
export function pipelineBreakdown(dbPath: string, workload: Workload, repeats: number): Breakdown {
  const template = workload.bodies[0]
  if (template === undefined) throw new Error('workload has no batches')
  const pricer = createPricer()
  const store = new SqliteStore({ path: dbPath })
  const hub = new Hub()
  hub.subscribe({ deliver: () => true, close: () => {} })

  const samples: Record<StageKey, number[]> = {
    decode: [],
    parse: [],
    validate: [],
    normalise: [],
    pricing: [],
    write: [],
    publish: [],
  }
  const warmup = 2
  try {
    for (let i = 0; i < warmup + repeats; i++) {
      const timings = pass(template.body(FIRST_BATCH_INDEX + i), pricer, store, hub)
      if (i < warmup) continue
      for (const key of Object.keys(samples) as StageKey[]) samples[key].push(timings[key])
    }
  } finally {
    store.close()
  }

  const stages = (Object.keys(STAGES) as StageKey[]).map((key) => ({
    name: STAGES[key],
    msMedian: median(samples[key]),
    msMean: sum(samples[key]) / repeats,
    inHttpPath: key !== 'pricing' && key !== 'publish',
  }))
  return { batchSize: template.spanCount, repeats, stages }
}
