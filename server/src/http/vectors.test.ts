import { describe, expect, test } from 'bun:test'
import { loadIngestVectors } from '@llmlens/spec'
import { harness } from '../testing/harness.ts'

/** Costs are products of decimal prices; compare them to 1e-9 relative, everything else exactly. */
function withCostsRounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) =>
    key === 'costUsd' && typeof v === 'number' ? Number(v.toPrecision(9)) : v,
  )
}

describe('spec/vectors/ingest', () => {
  for (const vector of loadIngestVectors()) {
    test(`${vector.name}: ${vector.description}`, async () => {
      const h = harness()
      const body = vector.request.bodyText ?? JSON.stringify(vector.request.body)
      const reply = await h.post('/api/v1/ingest', body)
      expect(reply).toEqual(vector.response)

      const traceIds = new Set([
        ...vector.stored.spans.map((s) => s.traceId),
        ...vector.stored.scores.map((s) => s.traceId),
      ])
      const spans = []
      const scores = []
      for (const traceId of traceIds) {
        const trace = h.store.trace(traceId)
        spans.push(...(trace?.spans ?? []))
        scores.push(...(trace?.scores ?? []))
      }
      expect(withCostsRounded({ spans, scores })).toEqual(withCostsRounded(vector.stored))
      expect(
        h.store.spans({
          filter: { fromMs: 0, toMs: 1e15 },
          sort: 'startTime',
          order: 'asc',
          limit: 1000,
          cursor: null,
          search: null,
          withContent: false,
        }).items.length,
      ).toBe(vector.stored.spans.length)
    })
  }
})
