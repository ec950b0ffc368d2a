import { LIMITS, type Span } from '@llmlens/spec'
import type { Ingest } from '../ingest/ingest.ts'
import type { Store } from '../store/types.ts'
import { type ExportResult, exportResult } from './export-result.ts'
import { applyParkedContent } from './logs-join.ts'
import { mapSpan } from './mapping/map-span.ts'
import { resourceDefaults } from './mapping/resource.ts'
import type { OtlpBatch, OtlpSpan } from './model.ts'

export interface OtlpIngestDeps {
  ingest: Ingest
  store: Store
}

// The native pipeline names fields of its own span (`spans[3].usage.inputTokens`); in a reply to
// an OTLP client the span is named by its OTLP path instead, so the index prefix goes.
const WIRE_PREFIX = /spans\[\d+\]\.?/g

/**
 * Decoded spans into the store: each is mapped to a wire span, given any content its log events
 * parked, then validated, normalised, priced, stored and announced by the same pipeline as native
 * spans, so names, costs and idempotency are the same however a span arrives.
 */
export function ingestTraces(
  batches: readonly OtlpBatch<OtlpSpan>[],
  deps: OtlpIngestDeps,
  receivedMs: number,
): ExportResult {
  const wire: Span[] = []
  const paths: string[] = []
  const errors: string[] = []
  const warnings: string[] = []
  let rejected = 0

  for (const batch of batches) {
    const defaults = resourceDefaults(batch.resource)
    for (const [k, span] of batch.items.entries()) {
      const path = `${batch.path}.spans[${k}]`
      const mapped = mapSpan(span, defaults, batch.scope)
      if (!mapped.ok) {
        rejected++
        errors.push(`${path}.${mapped.error}`)
        continue
      }
      wire.push(mapped.span)
      paths.push(path)
    }
  }

  applyParkedContent(deps.store, wire)

  // One ingest call is one transaction; the native request limit bounds how long it holds the
  // writer, and a large export is stored in several.
  for (let offset = 0; offset < wire.length; offset += LIMITS.spansPerRequestMax) {
    const chunk = wire.slice(offset, offset + LIMITS.spansPerRequestMax)
    const reply = deps.ingest.spans(chunk, receivedMs)
    for (const rejection of reply.rejected) {
      rejected++
      errors.push(`${paths[offset + rejection.index]}: ${rejection.error.replace(WIRE_PREFIX, '')}`)
    }
    for (const warning of reply.warnings) {
      warnings.push(`${paths[offset + warning.index]}: ${warning.warning.replace(WIRE_PREFIX, '')}`)
    }
  }
  return exportResult(rejected, errors, warnings)
}
