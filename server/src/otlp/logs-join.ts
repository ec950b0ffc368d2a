import { LIMITS, type Span } from '@llmlens/spec'
import type { ParkedContent, SpanContent, SpanKey, Store } from '../store/types.ts'
import { OTLP_LIMITS } from './limits.ts'
import type { ContentPiece } from './mapping/content-events.ts'
import { type ChatMessage, outputOf } from './mapping/messages.ts'

/**
 * Joins content that arrives as log events to its span. Spans and logs travel in separate
 * exports, so either may come first: events for a stored span are merged into its content at
 * once; events for a span not yet stored are parked, and the trace path takes them when the span
 * arrives. A span's own content attributes win: events only fill what the span left empty, or
 * extend what earlier events of the same span began.
 */

const keyOf = (key: SpanKey) => `${key.traceId}/${key.spanId}`

/** Pieces of one side, choices in their index order, otherwise in arrival order. */
function messagesOf(pieces: readonly ContentPiece[], side: ContentPiece['side']): ChatMessage[] {
  return pieces
    .map((piece, arrival) => ({ piece, arrival }))
    .filter(({ piece }) => piece.side === side)
    .sort((a, b) => a.piece.index - b.piece.index || a.arrival - b.arrival)
    .map(({ piece }) => piece.message)
}

/** Content JSON, cut with a visible marker past the contract's per-field limit. */
function boundedJson(value: unknown): string {
  const json = JSON.stringify(value)
  if (json.length <= LIMITS.contentBytesMax) return json
  const marker = `…[truncated by llmlens: ${json.length} characters, limit ${LIMITS.contentBytesMax}]`
  return JSON.stringify(json.slice(0, LIMITS.contentBytesMax - marker.length) + marker)
}

/**
 * Stored content with messages added, or null when it is left as it is: input is a list of
 * messages to append to; output is one message or a list, and becomes a list as it grows.
 */
function extended(
  existing: string | null,
  side: ContentPiece['side'],
  added: ChatMessage[],
): string | null {
  if (added.length === 0) return null
  if (existing === null) return boundedJson(side === 'input' ? added : outputOf(added))
  let current: unknown
  try {
    current = JSON.parse(existing)
  } catch {
    return null
  }
  if (Array.isArray(current)) return boundedJson([...current, ...added])
  const isMessage = typeof current === 'object' && current !== null && 'role' in current
  if (side === 'output' && isMessage) return boundedJson([current, ...added])
  return null
}

/**
 * Merges each span's pieces into its stored content, or parks them; one transaction. Returns how
 * many spans were joined now and how many wait for their span.
 */
export function joinContent(
  store: Store,
  bySpan: ReadonlyMap<string, { key: SpanKey; pieces: ContentPiece[] }>,
  receivedMs: number,
): { joined: number; parked: number } {
  const keys = [...bySpan.values()].map(({ key }) => key)
  const stored = new Map(store.spanContents(keys).map((content) => [keyOf(content), content]))
  const updates: SpanContent[] = []
  const parked: ParkedContent[] = []

  for (const [id, { key, pieces }] of bySpan) {
    const current = stored.get(id)
    if (current === undefined) {
      for (const [seq, piece] of pieces.entries()) {
        parked.push({ ...key, seq, body: JSON.stringify(piece), receivedMs })
      }
      continue
    }
    const input = extended(current.input, 'input', messagesOf(pieces, 'input'))
    const output = extended(current.output, 'output', messagesOf(pieces, 'output'))
    if (input === null && output === null) continue
    updates.push({ ...key, input: input ?? current.input, output: output ?? current.output })
  }

  store.writeContents(updates, parked, receivedMs - OTLP_LIMITS.parkedContentAgeMsMax)
  return { joined: updates.length, parked: new Set(parked.map(keyOf)).size }
}

/**
 * Fills the spans' empty input and output from content parked for them, taking it out of the
 * parking table. Called on each trace export before its spans are stored.
 */
export function applyParkedContent(store: Store, spans: Span[]): void {
  const taken = store.takeParkedContents(spans)
  if (taken.length === 0) return
  const byKey = new Map<string, ContentPiece[]>()
  for (const row of taken) {
    const pieces = byKey.get(keyOf(row)) ?? []
    pieces.push(JSON.parse(row.body) as ContentPiece)
    byKey.set(keyOf(row), pieces)
  }
  for (const span of spans) {
    const pieces = byKey.get(keyOf(span))
    if (pieces === undefined) continue
    const input = messagesOf(pieces, 'input')
    const output = messagesOf(pieces, 'output')
    if (span.input === undefined && input.length > 0) span.input = input
    if (span.output === undefined && output.length > 0) span.output = outputOf(output)
  }
}
