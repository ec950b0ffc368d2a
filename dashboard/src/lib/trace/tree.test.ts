import { describe, expect, test } from 'bun:test'
import { storedSpan } from '../testing/spans.ts'
import { waterfall } from './tree.ts'

const span = (spanId: string, parentSpanId: string | null, startTime: number, endTime: number) =>
  storedSpan({ spanId, parentSpanId, startTime, endTime, name: spanId })

describe('waterfall', () => {
  test('parents before children, siblings by start, bars as fractions of the trace', () => {
    const { rows, startMs, durationMs } = waterfall([
      span('late', 'root', 600, 1_000),
      span('root', null, 0, 1_000),
      span('early', 'root', 100, 500),
      span('grandchild', 'early', 200, 300),
    ])

    expect(rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ['root', 0],
      ['early', 1],
      ['grandchild', 2],
      ['late', 1],
    ])
    expect(startMs).toBe(0)
    expect(durationMs).toBe(1_000)
    expect(rows[1]).toMatchObject({ offset: 0.1, width: 0.4, childCount: 1 })
  })

  test('a span whose parent is missing starts its own tree', () => {
    const { rows } = waterfall([span('a', null, 0, 10), span('b', 'not-here', 5, 8)])
    expect(rows.map((row) => row.depth)).toEqual([0, 0])
  })

  test('a cycle is cut instead of looping forever', () => {
    const { rows } = waterfall([span('a', 'b', 0, 10), span('b', 'a', 2, 6), span('c', 'c', 1, 2)])
    expect(rows.map((row) => row.span.spanId).sort()).toEqual(['a', 'b', 'c'])
  })

  test('ids such as __proto__ are ordinary keys', () => {
    const { rows } = waterfall([span('__proto__', null, 0, 10), span('x', '__proto__', 1, 2)])
    expect(rows.map((row) => row.depth)).toEqual([0, 1])
  })

  test('a zero-length span still gets a visible bar, and nothing runs past the end', () => {
    const { rows } = waterfall([span('a', null, 0, 1_000), span('b', 'a', 1_000, 1_000)])
    expect(rows[1]?.width).toBeGreaterThan(0)
    expect((rows[1]?.offset ?? 0) + (rows[1]?.width ?? 0)).toBeLessThanOrEqual(1)
    expect(waterfall([]).rows).toEqual([])
  })
})
