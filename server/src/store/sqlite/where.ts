import type { GroupDimension, SpanFilter } from '../types.ts'

export type SqlParam = string | number

/** Each filterable field of SpanFilter and the spans column it reads. */
export const FILTER_COLUMNS = {
  model: 'model',
  modelFamily: 'model_family',
  provider: 'provider',
  endpoint: 'endpoint',
  environment: 'environment',
  release: 'release',
  userId: 'user_id',
  sessionId: 'session_id',
  kind: 'kind',
  status: 'status',
  errorType: 'error_type',
} as const satisfies Partial<Record<keyof SpanFilter, string>>

export const GROUP_COLUMNS: Record<GroupDimension, string> = {
  model: 'model',
  modelFamily: 'model_family',
  provider: 'provider',
  endpoint: 'endpoint',
  environment: 'environment',
  release: 'release',
  userId: 'user_id',
  sessionId: 'session_id',
}

/**
 * The WHERE clause for a filter over spans aliased `alias`. Values are always bound as
 * parameters, never spliced into the SQL text.
 */
export function spanWhere(filter: SpanFilter, alias = 's'): { sql: string; params: SqlParam[] } {
  const clauses = [`${alias}.start_ms >= ?`, `${alias}.start_ms < ?`]
  const params: SqlParam[] = [filter.fromMs, filter.toMs]

  for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
    const values = filter[field as keyof typeof FILTER_COLUMNS]
    if (values === undefined || values.length === 0) continue
    clauses.push(`${alias}.${column} IN (${values.map(() => '?').join(', ')})`)
    params.push(...values)
  }

  for (const tag of filter.tag ?? []) {
    clauses.push(`EXISTS (SELECT 1 FROM json_each(${alias}.tags) WHERE value = ?)`)
    params.push(tag)
  }

  return { sql: clauses.join(' AND '), params }
}

/** `s.model, s.endpoint` for a groupBy list, or '' when not grouped. */
export function groupColumns(groupBy: readonly GroupDimension[], alias = 's'): string[] {
  return groupBy.map((dimension) => `${alias}.${GROUP_COLUMNS[dimension]}`)
}
