import type { SpanKey, Store } from '../store/types.ts'
import { type ExportResult, exportResult } from './export-result.ts'
import { joinContent } from './logs-join.ts'
import { type ContentPiece, contentPieces, isContentEvent } from './mapping/content-events.ts'
import type { OtlpBatch, OtlpLogRecord } from './model.ts'

const TRACE_ID = /^[0-9a-f]{32}$/
const SPAN_ID = /^[0-9a-f]{16}$/

/**
 * Log records into span content. llmlens keeps the GenAI content events (`gen_ai.*.message`,
 * `gen_ai.choice`, `gen_ai.client.inference.operation.details`) of records that name their span;
 * other records are not stored, and are reported as rejected so the sender learns that llmlens is
 * not its log store.
 */
export function ingestLogs(
  batches: readonly OtlpBatch<OtlpLogRecord>[],
  store: Store,
  receivedMs: number,
): ExportResult {
  const bySpan = new Map<string, { key: SpanKey; pieces: ContentPiece[] }>()
  const errors: string[] = []
  let notContent = 0
  let rejected = 0

  for (const batch of batches) {
    for (const [r, record] of batch.items.entries()) {
      if (!isContentEvent(record.eventName)) {
        notContent++
        rejected++
        continue
      }
      if (!TRACE_ID.test(record.traceId) || !SPAN_ID.test(record.spanId)) {
        rejected++
        errors.push(`${batch.path}.logRecords[${r}]: has no trace and span id to join its span by`)
        continue
      }
      const key = { traceId: record.traceId, spanId: record.spanId }
      const id = `${key.traceId}/${key.spanId}`
      const entry = bySpan.get(id) ?? { key, pieces: [] }
      entry.pieces.push(...contentPieces(record.eventName, record.body, record.attributes))
      bySpan.set(id, entry)
    }
  }

  if (bySpan.size > 0) joinContent(store, bySpan, receivedMs)
  if (notContent > 0) {
    errors.unshift(
      `${notContent} records are not GenAI content events (gen_ai.*.message, gen_ai.choice, ` +
        'gen_ai.client.inference.operation.details); llmlens keeps only those',
    )
  }
  return exportResult(rejected, errors)
}
