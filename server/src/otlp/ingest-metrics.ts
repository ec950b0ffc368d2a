import { normaliseModel, normaliseProvider } from '../ingest/names.ts'
import type { GenAiMetricPoint, Store } from '../store/types.ts'
import { type ExportResult, exportResult } from './export-result.ts'
import { text } from './mapping/read.ts'
import type { Attributes, OtlpBatch, OtlpHistogramPoint, OtlpMetric } from './model.ts'

/** The OTel GenAI client histograms llmlens stores; other metrics are not kept. */
export const GENAI_METRICS = ['gen_ai.client.token.usage', 'gen_ai.client.operation.duration']

const DELTA = 1
const CUMULATIVE = 2
const EPOCH_MS_MIN = 1e11

/** A point's identity within its metric: its scalar attributes, sorted, and its service. */
function seriesOf(attributes: Attributes, service: string | null): string {
  const pairs = [...attributes]
    .filter(([, value]) => typeof value !== 'object' || value === null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify([service, pairs])
}

function checkPoint(point: OtlpHistogramPoint): string | null {
  if (point.timeMs < EPOCH_MS_MIN) return 'timeUnixNano must be nanoseconds since the epoch'
  if (!Number.isSafeInteger(point.count) || point.count < 0) {
    return `count must be a whole number >= 0 (actual: ${point.count})`
  }
  const buckets = point.bucketCounts.length
  if (buckets !== 0 && buckets !== point.explicitBounds.length + 1) {
    return `bucketCounts has ${buckets} entries; explicitBounds has ${point.explicitBounds.length}, so it needs ${point.explicitBounds.length + 1}`
  }
  if (point.bucketCounts.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    return 'bucketCounts must be whole numbers >= 0'
  }
  return null
}

function toStored(
  metric: OtlpMetric,
  temporality: number,
  point: OtlpHistogramPoint,
  service: string | null,
): GenAiMetricPoint {
  const a = point.attributes
  const model = normaliseModel(text(a, 'gen_ai.response.model', 'gen_ai.request.model'))
  const tokenType = text(a, 'gen_ai.token.type')
  const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null)
  return {
    metric: metric.name,
    series: seriesOf(a, service),
    service,
    operation: text(a, 'gen_ai.operation.name'),
    provider: normaliseProvider(text(a, 'gen_ai.provider.name', 'gen_ai.system'), model),
    model,
    // `completion` is the token type's name before semconv renamed it to `output`.
    tokenType: tokenType === 'completion' ? 'output' : tokenType,
    errorType: text(a, 'error.type'),
    temporality,
    startMs: point.startMs,
    timeMs: point.timeMs,
    count: point.count,
    sum: finite(point.sum),
    min: finite(point.min),
    max: finite(point.max),
    explicitBounds: point.explicitBounds,
    bucketCounts: point.bucketCounts,
  }
}

/**
 * The GenAI histograms of a metrics export, stored point by point so the dashboard can chart
 * apps that send metrics and no spans. Points of other metrics are reported as rejected, with
 * their names, since llmlens is not a general metrics store.
 */
export function ingestMetrics(
  batches: readonly OtlpBatch<OtlpMetric>[],
  store: Store,
): ExportResult {
  const points: GenAiMetricPoint[] = []
  const errors: string[] = []
  const otherNames = new Set<string>()
  let rejected = 0

  for (const batch of batches) {
    const service = text(batch.resource, 'service.name')
    for (const [m, metric] of batch.items.entries()) {
      const path = `${batch.path}.metrics[${m}]`
      const count = metric.histogram?.points.length ?? 1
      if (!GENAI_METRICS.includes(metric.name)) {
        otherNames.add(metric.name)
        rejected += count
        continue
      }
      const histogram = metric.histogram
      if (histogram === null) {
        rejected += count
        errors.push(`${path}: ${metric.name} must be a histogram`)
        continue
      }
      if (histogram.temporality !== DELTA && histogram.temporality !== CUMULATIVE) {
        rejected += count
        errors.push(
          `${path}.histogram.aggregationTemporality must be 1 (delta) or 2 (cumulative) (actual: ${histogram.temporality})`,
        )
        continue
      }
      for (const [p, point] of histogram.points.entries()) {
        const invalid = checkPoint(point)
        if (invalid !== null) {
          rejected++
          errors.push(`${path}.histogram.dataPoints[${p}].${invalid}`)
          continue
        }
        points.push(toStored(metric, histogram.temporality, point, service))
      }
    }
  }

  if (points.length > 0) store.writeGenAiMetricPoints(points)
  if (otherNames.size > 0) {
    const names = [...otherNames].slice(0, 10).join(', ')
    errors.unshift(`llmlens keeps only ${GENAI_METRICS.join(' and ')}; not kept: ${names}`)
  }
  return exportResult(rejected, errors)
}
