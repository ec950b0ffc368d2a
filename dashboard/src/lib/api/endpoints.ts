import type {
  AlertHistoryPage,
  AlertRule,
  AlertRules,
  Anomalies,
  Compare,
  Drift,
  ErrorsReport,
  ScoresPage,
  SpansPage,
  Summary,
  Timeseries,
  Trace,
} from '@llmlens/spec'
import { ApiError, getJson, sendJson } from './client.ts'

type Read<T> = (params: URLSearchParams, signal?: AbortSignal) => Promise<T>

const read =
  <T>(path: string): Read<T> =>
  (params, signal) =>
    getJson<T>(path, params, signal)

export const summary = read<Summary>('/api/v1/metrics/summary')
export const timeseries = read<Timeseries>('/api/v1/metrics/timeseries')
export const spans = read<SpansPage>('/api/v1/spans')
export const errors = read<ErrorsReport>('/api/v1/errors')
export const scores = read<ScoresPage>('/api/v1/scores')
export const anomalies = read<Anomalies>('/api/v1/anomalies')
export const drift = read<Drift>('/api/v1/drift')
export const alertHistory = read<AlertHistoryPage>('/api/v1/alerts/history')

export function trace(traceId: string, signal?: AbortSignal): Promise<Trace> {
  return getJson<Trace>(`/api/v1/traces/${encodeURIComponent(traceId)}`, null, signal)
}

/**
 * GET /api/v1/compare. A server without the endpoint, or one that cannot compare this
 * dimension, answers 404 or 400: then the answer is null and the page shows no tests.
 */
export async function compare(
  params: URLSearchParams,
  signal?: AbortSignal,
): Promise<Compare | null> {
  try {
    const reply = await getJson<Compare>('/api/v1/compare', params, signal)
    return typeof reply.tests === 'object' && reply.tests !== null ? reply : null
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return null
    throw error
  }
}

export function alertRules(signal?: AbortSignal): Promise<AlertRules> {
  return getJson<AlertRules>('/api/v1/alerts/rules', null, signal)
}

/** POST /api/v1/alerts/rules: the server validates the rule and answers it with its defaults. */
export function createAlertRule(body: unknown): Promise<AlertRule> {
  return sendJson<AlertRule>('POST', '/api/v1/alerts/rules', body)
}

export function deleteAlertRule(id: string): Promise<{ deleted: string }> {
  return sendJson<{ deleted: string }>('DELETE', `/api/v1/alerts/rules/${encodeURIComponent(id)}`)
}
