import type { StoredSpan } from '@llmlens/spec'

/** One row of a waterfall: a span, how deep it sits, and where its bar starts and ends. */
export interface WaterfallRow {
  span: StoredSpan
  depth: number
  /** Bar start and width as fractions of the trace's duration, from 0 to 1. */
  offset: number
  width: number
  childCount: number
}

export interface Waterfall {
  rows: WaterfallRow[]
  startMs: number
  durationMs: number
}

// A bar narrower than this is invisible; 0.2% of the width is under a pixel at 500 px.
const BAR_WIDTH_MIN = 0.002

/**
 * The span tree in display order: each span after its parent, siblings by start time. A span
 * whose parent is not in the trace starts a tree of its own, as the server's `roots` do.
 * Span ids are data, so lookups use Maps, and a cycle (a span that is its own ancestor) is cut.
 */
export function waterfall(spans: readonly StoredSpan[]): Waterfall {
  if (spans.length === 0) return { rows: [], startMs: 0, durationMs: 0 }
  const byId = new Map(spans.map((span) => [span.spanId, span]))
  const children = new Map<string, StoredSpan[]>()
  const roots: StoredSpan[] = []
  for (const span of spans) {
    const parent = span.parentSpanId
    if (parent === null || parent === span.spanId || !byId.has(parent)) {
      roots.push(span)
      continue
    }
    const siblings = children.get(parent)
    if (siblings) siblings.push(span)
    else children.set(parent, [span])
  }

  const startMs = Math.min(...spans.map((span) => span.startTime))
  const endMs = Math.max(...spans.map((span) => span.endTime))
  const durationMs = Math.max(endMs - startMs, 1)
  const rows: WaterfallRow[] = []
  const placed = new Set<string>()
  const byStart = (a: StoredSpan, b: StoredSpan) => a.startTime - b.startTime

  const visit = (span: StoredSpan, depth: number) => {
    if (placed.has(span.spanId)) return
    placed.add(span.spanId)
    const kids = (children.get(span.spanId) ?? []).sort(byStart)
    const width = Math.min(Math.max((span.endTime - span.startTime) / durationMs, BAR_WIDTH_MIN), 1)
    // A bar that would run past the end (a zero-length span at the very end) moves left instead.
    const offset = Math.min((span.startTime - startMs) / durationMs, 1 - width)
    rows.push({ span, depth, offset, width, childCount: kids.length })
    for (const kid of kids) visit(kid, depth + 1)
  }
  for (const root of roots.sort(byStart)) visit(root, 0)
  // Spans caught in a cycle were never reached from a root; show them at the top level.
  for (const span of spans) if (!placed.has(span.spanId)) visit(span, 0)
  return { rows, startMs, durationMs }
}
