import type { AnalyticsPoint } from './analytics-bench.ts'
import type { Breakdown } from './breakdown.ts'
import type { IngestRun, Throughput } from './ingest-bench.ts'
import { OTLP_TARGET_SPANS_PER_SECOND, type OtlpRun } from './otlp-bench.ts'
import type { SdkOverheadResult } from './sdk-overhead.ts'
import type { SseResult } from './sse-bench.ts'
import { count, ms, ratio, sum } from './stats.ts'
import type { SummaryPoint } from './summary-bench.ts'

export interface Results {
  ingest?: IngestRun[]
  summary?: SummaryPoint[]
  sse?: SseResult
  analytics?: AnalyticsPoint[]
  otlp?: OtlpRun[]
  sdk?: SdkOverheadResult
}

/**
 * The targets for HTTP ingest: spans/s at each batch size, and at least half of what a
 * raw insert of the same rows manages on the same machine.
 */
export const INGEST_TARGETS: Record<number, number> = { 1000: 100_000, 100: 50_000 }
export const RAW_RATIO_TARGET = 0.5

/** A markdown table with columns padded so that it also reads as plain text. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]) {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((r) => (r[i] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, i) => (cells[i] ?? '').padEnd(width)).join(' | ')} |`
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

const rate = (spansPerSecond: number) => `${count(spansPerSecond)} spans/s`

function targetText(run: IngestRun): string {
  const target = INGEST_TARGETS[run.batchSize]
  if (target === undefined) return ''
  // Judged apart: the ratio is the collector's own cost, the absolute rate also the disk's.
  const spansPerSecond = run.http.spansPerSecond
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met')
  const ratioMet = spansPerSecond / run.rawInsert.spansPerSecond >= RAW_RATIO_TARGET
  return `≥ ${RAW_RATIO_TARGET}× raw: ${verdict(ratioMet)}; ≥ ${count(target)} spans/s: ${verdict(spansPerSecond >= target)}`
}

function ingestRows(runs: readonly IngestRun[]): string[][] {
  return runs.flatMap((run) => {
    const { http, httpNoStore, transport, storeWrite, rawInsert, batchSize } = run
    const shape = `${count(http.spans)} spans, ${run.concurrency} in flight`
    const row = (
      name: string,
      value: Throughput,
      baseName: string,
      base: Throughput,
      target = '',
    ) => [
      name,
      rate(value.spansPerSecond),
      `${baseName}: ${rate(base.spansPerSecond)}`,
      ratio(value.spansPerSecond, base.spansPerSecond),
      target,
    ]
    return [
      row(
        `ingest HTTP, batch ${batchSize} (${shape})`,
        http,
        'raw INSERT',
        rawInsert,
        targetText(run),
      ),
      row(`ingest HTTP, batch ${batchSize}`, http, 'store.write', storeWrite),
      row(`store.write alone, batch ${batchSize}`, storeWrite, 'raw INSERT', rawInsert),
      row(`ingest HTTP with store.write stubbed, batch ${batchSize}`, httpNoStore, 'HTTP', http),
      row(`HTTP transport only, batch ${batchSize}`, transport, 'HTTP, store stubbed', httpNoStore),
    ]
  })
}

function summaryRows(points: readonly SummaryPoint[]): string[][] {
  return points.flatMap((point) => {
    const baseline = `COUNT/SUM, no WHERE: ${ms(point.baselineMsMedian)}`
    return [
      [
        `summary groupBy model, ${count(point.spans)} spans (median of ${point.runs})`,
        ms(point.summaryMsMedian),
        baseline,
        ratio(point.summaryMsMedian, point.baselineMsMedian),
        '',
      ],
      [
        `COUNT/SUM with the summary's time WHERE, ${count(point.spans)} spans`,
        ms(point.rangeBaselineMsMedian),
        baseline,
        ratio(point.rangeBaselineMsMedian, point.baselineMsMedian),
        '',
      ],
    ]
  })
}

function sseRows(sse: SseResult): string[][] {
  const shape = `${sse.posts} single-span POSTs, ${sse.gapMs} ms apart`
  return (['p50', 'p99'] as const).map((p) => [
    `receipt → SSE event, ${p} (${shape})`,
    ms(sse.delayMs[p]),
    `POST round trip ${p}: ${ms(sse.roundTripMs[p])}`,
    ratio(sse.delayMs[p], sse.roundTripMs[p]),
    '',
  ])
}

function otlpRows(runs: readonly OtlpRun[]): string[][] {
  return runs.map((run) => {
    const { otlpProtobuf, native, batchSize } = run
    const met = otlpProtobuf.spansPerSecond >= OTLP_TARGET_SPANS_PER_SECOND
    return [
      `OTLP/HTTP protobuf ingest, batch ${batchSize} (${count(otlpProtobuf.spans)} spans, ` +
        `${run.concurrency} in flight)`,
      rate(otlpProtobuf.spansPerSecond),
      `native JSON ingest: ${rate(native.spansPerSecond)}`,
      ratio(otlpProtobuf.spansPerSecond, native.spansPerSecond),
      `≥ ${count(OTLP_TARGET_SPANS_PER_SECOND)} spans/s: ${met ? 'met' : 'NOT met'}`,
    ]
  })
}

function analyticsRows(points: readonly AnalyticsPoint[]): string[][] {
  return points.flatMap((point) => {
    const stored = `${count(point.spans)} spans stored`
    return [
      [
        `anomalies over 24 h, ${stored} (${count(point.anomaliesSpansInRange)} in range, median of ${point.runs})`,
        ms(point.anomaliesMsMedian),
        `summary over the same 24 h: ${ms(point.summaryDayMsMedian)}`,
        ratio(point.anomaliesMsMedian, point.summaryDayMsMedian),
        '',
      ],
      [
        `compare over 1 h, two models, ${stored} (${count(point.compareSpansInArms)} in the arms)`,
        ms(point.compareMsMedian),
        `summary over the same hour: ${ms(point.summaryHourMsMedian)}`,
        ratio(point.compareMsMedian, point.summaryHourMsMedian),
        '',
      ],
    ]
  })
}

/** Milliseconds one batch took in a throughput run: its run time over its batches. */
const msPerBatch = (run: IngestRun, throughput: Throughput) =>
  (run.batchSize / throughput.spansPerSecond) * 1000

function breakdownTable(run: IngestRun, breakdown: Breakdown): string {
  const httpMs = msPerBatch(run, run.http)
  const share = (value: number) => `${((value / httpMs) * 100).toFixed(1)}%`
  const perSpan = (value: number) => `${((value / breakdown.batchSize) * 1000).toFixed(2)} µs`
  const row = (name: string, mean: number, median?: number) => [
    name,
    median === undefined ? '' : ms(median),
    ms(mean),
    perSpan(mean),
    share(mean),
  ]

  const inPath = breakdown.stages.filter((stage) => stage.inHttpPath)
  const inPathMs = sum(inPath.map((stage) => stage.msMean))
  const rows = [
    ...breakdown.stages.map((stage) => row(stage.name, stage.msMean, stage.msMedian)),
    row('sum of the stages the HTTP path runs', inPathMs),
    row('HTTP, per batch (run time / batches)', httpMs),
    row('  rest: Bun.serve, Hono, body read, reply, fetch client, GC', httpMs - inPathMs),
    row('HTTP with store.write stubbed, per batch', msPerBatch(run, run.httpNoStore)),
    row('HTTP transport only, per batch', msPerBatch(run, run.transport)),
  ]
  const title = `stage, one batch of ${breakdown.batchSize} (${breakdown.repeats} passes)`
  return markdownTable([title, 'median', 'mean', 'mean per span', 'of HTTP'], rows)
}

/** The whole report: one results table, then where one batch's ingest time goes. */
export function renderReport(results: Results): string {
  const rows = [
    ...ingestRows(results.ingest ?? []),
    ...summaryRows(results.summary ?? []),
    ...(results.sse === undefined ? [] : sseRows(results.sse)),
    ...analyticsRows(results.analytics ?? []),
    ...otlpRows(results.otlp ?? []),
  ]
  if (rows.length === 0) return ''
  const parts = [
    markdownTable(['benchmark', 'result', 'baseline (same run)', 'ratio', 'target'], rows),
  ]
  for (const run of results.ingest ?? []) {
    if (run.breakdown !== null) parts.push(breakdownTable(run, run.breakdown))
  }
  return parts.join('\n\n')
}
