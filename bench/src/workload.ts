import { normaliseSpan } from '@llmlens/server/src/ingest/normalise.ts'
import { validateSpan } from '@llmlens/server/src/ingest/validate.ts'
import { createPricer, type Pricer } from '@llmlens/server/src/pricing/index.ts'
import type { NewSpan } from '@llmlens/server/src/store/types.ts'
import type { Span } from '@llmlens/spec'
import { BodyTemplate, TEMPLATE_ID_SEGMENT } from './bodies.ts'
import { generateSpans } from './spans.ts'

/** 2026-01-01T00:00:00Z: a fixed start keeps prices and time ranges the same from run to run. */
export const BASE_MS = Date.UTC(2026, 0, 1)

/**
 * Distinct batches a workload cycles through. Four give the server varied content while the
 * whole workload stays small (4 × 1,000 spans ≈ 5 MB of JSON) however many batches are sent.
 */
const TEMPLATE_COUNT = 4

/** Batches of one size, as wire bodies and as the normalised spans the store receives. */
export interface Workload {
  batchSize: number
  bodies: BodyTemplate[]
  normalised: NewSpan[][]
}

/** A wire span validated and normalised as the server does it; a generator bug fails loudly. */
export function normaliseOrThrow(span: Span, index: number, pricer: Pricer): NewSpan {
  const path = `spans[${index}]`
  const invalid = validateSpan(span, path)
  if (invalid !== null) throw new Error(`generated span is invalid: ${JSON.stringify(invalid)}`)
  const result = normaliseSpan(span, path, pricer)
  if (!result.ok) throw new Error(`generated span is rejected: ${JSON.stringify(result.errors)}`)
  if (result.warnings.length > 0) {
    throw new Error(`generated span has warnings: ${JSON.stringify(result.warnings)}`)
  }
  return result.value
}

/** Spans of batch template `t` start in their own minute-long window after BASE_MS. */
export function prepareWorkload(batchSize: number, seed: number): Workload {
  const pricer = createPricer()
  const bodies: BodyTemplate[] = []
  const normalised: NewSpan[][] = []
  for (let t = 0; t < TEMPLATE_COUNT; t++) {
    const spans = generateSpans(batchSize, {
      seed: seed + t,
      startMs: BASE_MS + t * 60_000,
      spreadMs: 60_000,
      idSegment: TEMPLATE_ID_SEGMENT,
    })
    bodies.push(new BodyTemplate(spans))
    normalised.push(spans.map((span, i) => normaliseOrThrow(span, i, pricer)))
  }
  return { batchSize, bodies, normalised }
}

/** The template batch `batchIndex` is built from. */
export function templateOf<T>(templates: readonly T[], batchIndex: number): T {
  return templates[batchIndex % templates.length] as T
}
