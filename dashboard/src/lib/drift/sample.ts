import type { Window } from '../state/time-range.ts'
import { apiParams, type Filters } from '../state/view-query.ts'
import type { TimeSpan } from './reference.ts'

// The histograms draw from about 1,000 calls per window: five strata of 200, so the sample
// covers the whole window instead of its last minutes. The server's PSI and tests use its own
// uniform sample of up to 50,000; the bars only show where the values lie.
export const STRATA = 5
export const PER_STRATUM = 200

/** The GET /api/v1/spans queries of one window's sample: successful model calls per stratum. */
export function sampleQueries(filters: Filters, window: TimeSpan): URLSearchParams[] {
  const lengthMs = (window.toMs - window.fromMs) / STRATA
  return Array.from({ length: STRATA }, (_, i) => {
    const part: Pick<Window, 'fromMs' | 'toMs'> = {
      fromMs: window.fromMs + i * lengthMs,
      toMs: i === STRATA - 1 ? window.toMs : window.fromMs + (i + 1) * lengthMs,
    }
    const params = apiParams({ ...filters, status: ['ok'] }, part)
    params.set('limit', String(PER_STRATUM))
    return params
  })
}
