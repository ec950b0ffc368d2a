import { describe, expect, test } from 'bun:test'
import { countLines, exportUrl, fileNameOf, rowsFromLines } from './download.ts'

const WINDOW = { fromMs: 1_000, toMs: 2_000, stepMs: 100 }

describe('exportUrl', () => {
  test('the filter, format and dataset; a span-kind filter cannot travel', () => {
    const url = exportUrl({ model: ['a b'], kind: ['llm'] }, WINDOW, {
      kind: 'spans',
      format: 'csv',
      content: false,
    })
    expect(url).toBe(
      '/api/v1/export?from=1000&to=2000&model=a+b&format=csv&kind=spans&content=false',
    )
  })

  test('metrics carry the bucket width', () => {
    const url = exportUrl({}, WINDOW, { kind: 'metrics', format: 'json', content: true })
    expect(url).toBe('/api/v1/export?from=1000&to=2000&format=json&kind=metrics&stepMs=100')
  })
})

describe('fileNameOf', () => {
  test('the server name, made safe, or the fallback', () => {
    expect(fileNameOf('attachment; filename="llmlens-spans-2026-12-03.csv"', 'x')).toBe(
      'llmlens-spans-2026-12-03.csv',
    )
    expect(fileNameOf('attachment; filename="../../etc/pass wd"', 'x')).toBe('_.._etc_pass_wd')
    expect(fileNameOf(null, 'export.csv')).toBe('export.csv')
  })
})

describe('counting rows', () => {
  test('lines in chunks, then rows per format', () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n3,4\n')
    expect(countLines(bytes)).toBe(3)
    expect(rowsFromLines(3, 'csv')).toBe(2)
    expect(rowsFromLines(3, 'ndjson')).toBe(3)
    // "[\n{…},\n{…}\n]\n" is two rows on four lines; "[]\n" is none.
    expect(rowsFromLines(4, 'json')).toBe(2)
    expect(rowsFromLines(1, 'json')).toBe(0)
  })
})
