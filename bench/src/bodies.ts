import type { NewSpan } from '@llmlens/server/src/store/types.ts'
import type { Span } from '@llmlens/spec'

/**
 * The id segment that templates are generated with. Each batch overwrites it with its own
 * number, which gives every batch fresh trace and span ids at the cost of a memory copy.
 */
export const TEMPLATE_ID_SEGMENT = 'b7c1e5a9'

const SEGMENT_LENGTH = TEMPLATE_ID_SEGMENT.length

/** The 8 hex characters that make batch `batchIndex`'s ids unique. */
export function idSegment(batchIndex: number): string {
  if (!Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex > 0xffff_ffff) {
    throw new Error(`batchIndex must be an integer from 0 to 2^32-1 (actual: ${batchIndex})`)
  }
  return batchIndex.toString(16).padStart(SEGMENT_LENGTH, '0')
}

/**
 * A serialised ingest body that can be re-sent under fresh ids. The client runs in the same
 * process and on the same thread as the server, so serialising 1,000 spans per request (about
 * 1.3 MB of JSON) would be billed to the server's throughput; patching 16 bytes per span is not.
 */
export class BodyTemplate {
  readonly spanCount: number
  readonly byteLength: number
  private readonly bytes: Buffer
  private readonly offsets: number[] = []

  constructor(spans: readonly Span[]) {
    this.spanCount = spans.length
    this.bytes = Buffer.from(JSON.stringify({ spans }))
    this.byteLength = this.bytes.length

    for (let at = this.bytes.indexOf(TEMPLATE_ID_SEGMENT); at !== -1; ) {
      this.offsets.push(at)
      at = this.bytes.indexOf(TEMPLATE_ID_SEGMENT, at + SEGMENT_LENGTH)
    }
    const expected = spans.reduce((sum, span) => sum + (span.parentSpanId ? 3 : 2), 0)
    if (this.offsets.length !== expected) {
      throw new Error(
        `template has ${this.offsets.length} id segments, expected ${expected}: ` +
          `generate its spans with idSegment ${TEMPLATE_ID_SEGMENT} and ASCII-only text`,
      )
    }
  }

  /** A fresh copy of the body whose ids all carry batch `batchIndex`'s segment. */
  body(batchIndex: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.bytes)
    const segment = Buffer.from(idSegment(batchIndex), 'latin1')
    for (const offset of this.offsets) out.set(segment, offset)
    return out
  }
}

/** A normalised span under batch `batchIndex`'s ids; content strings are shared, not copied. */
export function withIdSegment(span: NewSpan, batchIndex: number): NewSpan {
  const segment = idSegment(batchIndex)
  return {
    ...span,
    traceId: segment + span.traceId.slice(SEGMENT_LENGTH),
    spanId: segment + span.spanId.slice(SEGMENT_LENGTH),
    parentSpanId:
      span.parentSpanId === null ? null : segment + span.parentSpanId.slice(SEGMENT_LENGTH),
  }
}
