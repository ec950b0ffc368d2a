import { readFileSync } from 'node:fs'
import { type AlertRule, type Metrics, SEVERITIES, THRESHOLD_OPS } from '@llmlens/spec'
import { ANOMALY_METRICS } from '../analytics/anomalies.ts'
import { GROUP_DIMENSIONS, type SpanFilter } from '../store/types.ts'
import type { WebhookAllowList } from './allow-list.ts'

/** A rule the user wrote wrong; each problem names its field, what was seen and what is allowed. */
export class RuleError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
  }
}

const MINUTE_MS = 60_000
const WEEK_MS = 7 * 86_400_000

/** Limits of a rule, and the defaults of what a rule may leave out. */
export const RULE_LIMITS = {
  idPattern: /^[A-Za-z0-9_.-]{1,64}$/,
  nameLengthMax: 200,
  // Below a minute a window holds less than one bucket, and rules are evaluated once a minute.
  windowMsMin: MINUTE_MS,
  windowMsMax: WEEK_MS,
  cooldownMsMax: WEEK_MS,
  webhooksMax: 10,
  rulesMax: 500,
}

export const RULE_DEFAULTS = {
  windowMs: 5 * MINUTE_MS,
  cooldownMs: 15 * MINUTE_MS,
  // Twenty calls before a rate or percentile means much; fewer is "no data", which never fires.
  minCount: 20,
  groupBy: ['model'],
}

/** Metrics a threshold rule may watch, each read from a summary of the rule's window. */
const THRESHOLD_METRICS: Record<string, (m: Metrics) => number | null> = {
  count: (m) => m.count,
  errorCount: (m) => m.errorCount,
  errorRate: (m) => m.errorRate,
  'latencyMs.p50': (m) => m.latencyMs.p50,
  'latencyMs.p95': (m) => m.latencyMs.p95,
  'latencyMs.p99': (m) => m.latencyMs.p99,
  'latencyMs.mean': (m) => m.latencyMs.mean,
  'latencyMs.max': (m) => m.latencyMs.max,
  'ttftMs.p50': (m) => m.ttftMs.p50,
  'ttftMs.p95': (m) => m.ttftMs.p95,
  'ttftMs.p99': (m) => m.ttftMs.p99,
  costUsd: (m) => m.costUsd,
  costPerCallUsd: (m) => (m.count === 0 ? null : m.costUsd / m.count),
  'usage.inputTokens': (m) => m.usage.inputTokens,
  'usage.outputTokens': (m) => m.usage.outputTokens,
}

export const ANOMALY_RULE_METRICS = [...ANOMALY_METRICS, 'spanLatencyMs', 'any'] as const

/** The value of a threshold metric in a window's summary; null when the window has none. */
export function thresholdValue(metric: string, metrics: Metrics): number | null {
  const read = THRESHOLD_METRICS[metric]
  if (read !== undefined) return read(metrics)
  if (metric.startsWith('scores.'))
    return metrics.scores[metric.slice('scores.'.length)]?.mean ?? null
  return null
}

const FILTER_FIELDS = [
  ...GROUP_DIMENSIONS,
  'kind',
  'status',
  'errorType',
  'tag',
] as const satisfies readonly (keyof SpanFilter)[]

const FIELDS = [
  'id',
  'name',
  'metric',
  'condition',
  'filter',
  'groupBy',
  'windowMs',
  'cooldownMs',
  'minCount',
  'webhooks',
]

const show = (value: unknown) => JSON.stringify(value) ?? String(value)

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads and checks rule fields one at a time, collecting every problem with its path. */
class RuleReader {
  readonly problems: string[] = []

  constructor(
    private readonly input: Record<string, unknown>,
    private readonly at: string,
  ) {}

  fail(field: string, message: string): void {
    this.problems.push(`${this.at}.${field} ${message}`)
  }

  string(field: string, test: (s: string) => boolean, allowed: string): string | undefined {
    const value = this.input[field]
    if (value === undefined) return undefined
    if (typeof value !== 'string' || !test(value)) {
      this.fail(field, `must be ${allowed} (actual: ${show(value)})`)
      return undefined
    }
    return value
  }

  integer(field: string, min: number, max: number, fallback: number): number {
    const value = this.input[field]
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, `must be an integer from ${min} to ${max} (actual: ${show(value)})`)
      return fallback
    }
    return value
  }

  strings(field: string, value: unknown, itemsMax: number, allowed?: readonly string[]) {
    if (!Array.isArray(value) || value.length > itemsMax) {
      this.fail(field, `must be an array of at most ${itemsMax} strings (actual: ${show(value)})`)
      return []
    }
    const out: string[] = []
    for (const [i, item] of value.entries()) {
      if (typeof item !== 'string' || item === '' || (allowed && !allowed.includes(item))) {
        const choices = allowed ? `one of ${allowed.join(', ')}` : 'a non-empty string'
        this.fail(`${field}[${i}]`, `must be ${choices} (actual: ${show(item)})`)
      } else out.push(item)
    }
    return out
  }
}

/**
 * Checks one rule as a client or the alerts file gives it and fills its defaults. `at` names
 * the rule in messages: `rules[2]` in a file, `body` in a request.
 *
 * @example
 *   validateRule({ name: 'slow', metric: 'latencyMs.p95',
 *     condition: { type: 'threshold', op: '>', value: 2000 } }, 'body', allowList, 'rule-1')
 */
export function validateRule(
  input: unknown,
  at: string,
  allow: WebhookAllowList,
  defaultId: string,
): AlertRule {
  if (!isObject(input)) throw new RuleError([`${at} must be an object (actual: ${show(input)})`])
  const reader = new RuleReader(input, at)
  for (const field of Object.keys(input)) {
    if (!FIELDS.includes(field))
      reader.fail(field, `is not a rule field; rules take ${FIELDS.join(', ')}`)
  }

  const id = reader.string(
    'id',
    (s) => RULE_LIMITS.idPattern.test(s),
    '1 to 64 letters, digits, ".", "_" or "-"',
  )
  const name = reader.string(
    'name',
    (s) => s.trim() !== '' && s.length <= RULE_LIMITS.nameLengthMax,
    `a non-empty string of at most ${RULE_LIMITS.nameLengthMax} characters`,
  )
  if (input.name === undefined) reader.fail('name', 'is required')
  const condition = readCondition(reader, input.condition)
  const metric = readMetric(reader, input.metric, condition?.type)
  const filter = readFilter(reader, input.filter)
  const groupBy =
    input.groupBy === undefined
      ? RULE_DEFAULTS.groupBy
      : reader.strings('groupBy', input.groupBy, 3, GROUP_DIMENSIONS)
  const windowMs = reader.integer(
    'windowMs',
    RULE_LIMITS.windowMsMin,
    RULE_LIMITS.windowMsMax,
    RULE_DEFAULTS.windowMs,
  )
  const cooldownMs = reader.integer(
    'cooldownMs',
    0,
    RULE_LIMITS.cooldownMsMax,
    RULE_DEFAULTS.cooldownMs,
  )
  const minCount = reader.integer('minCount', 1, 1_000_000_000, RULE_DEFAULTS.minCount)
  const webhooks =
    input.webhooks === undefined
      ? []
      : reader.strings('webhooks', input.webhooks, RULE_LIMITS.webhooksMax)
  for (const [i, url] of webhooks.entries()) {
    const refusal = allow.refusal(url)
    if (refusal !== null) reader.fail(`webhooks[${i}]`, `is refused: ${refusal}`)
  }

  if (reader.problems.length > 0 || condition === null || metric === null || name === undefined) {
    throw new RuleError(reader.problems)
  }
  return {
    id: id ?? defaultId,
    name,
    metric,
    condition,
    filter,
    groupBy,
    windowMs,
    cooldownMs,
    minCount,
    webhooks,
  }
}

function readCondition(reader: RuleReader, value: unknown): AlertRule['condition'] | null {
  if (!isObject(value)) {
    reader.fail(
      'condition',
      `must be {"type": "threshold", "op", "value"} or {"type": "anomaly", "severity"} (actual: ${show(value)})`,
    )
    return null
  }
  const extra = (allowed: string[]) => {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        reader.fail(
          `condition.${key}`,
          `is not a field of a ${String(value.type)} condition; it takes ${allowed.join(', ')}`,
        )
    }
  }
  if (value.type === 'threshold') {
    extra(['type', 'op', 'value'])
    const op = value.op
    if (typeof op !== 'string' || !(THRESHOLD_OPS as readonly string[]).includes(op)) {
      reader.fail(
        'condition.op',
        `must be one of ${THRESHOLD_OPS.join(', ')} (actual: ${show(op)})`,
      )
      return null
    }
    if (typeof value.value !== 'number' || !Number.isFinite(value.value)) {
      reader.fail('condition.value', `must be a number (actual: ${show(value.value)})`)
      return null
    }
    return { type: 'threshold', op: op as (typeof THRESHOLD_OPS)[number], value: value.value }
  }
  if (value.type === 'anomaly') {
    extra(['type', 'severity'])
    const severity = value.severity ?? 'critical'
    if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) {
      reader.fail('condition.severity', `must be warning or critical (actual: ${show(severity)})`)
      return null
    }
    return { type: 'anomaly', severity: severity as (typeof SEVERITIES)[number] }
  }
  reader.fail('condition.type', `must be threshold or anomaly (actual: ${show(value.type)})`)
  return null
}

function readMetric(reader: RuleReader, value: unknown, type: 'threshold' | 'anomaly' | undefined) {
  if (type === undefined) return null
  const allowed =
    type === 'anomaly'
      ? (ANOMALY_RULE_METRICS as readonly string[])
      : [...Object.keys(THRESHOLD_METRICS), 'scores.<name>']
  const ok =
    typeof value === 'string' &&
    (allowed.includes(value) || (type === 'threshold' && /^scores\.[^.\s]+$/.test(value)))
  if (!ok) {
    reader.fail(
      'metric',
      `must be one of ${allowed.join(', ')} for a ${type} condition (actual: ${show(value)})`,
    )
    return null
  }
  return value as string
}

function readFilter(reader: RuleReader, value: unknown): Record<string, string[]> {
  if (value === undefined) return {}
  if (!isObject(value)) {
    reader.fail(
      'filter',
      `must be an object of string arrays, e.g. {"model": ["gpt-4o"]} (actual: ${show(value)})`,
    )
    return {}
  }
  const filter: Record<string, string[]> = {}
  for (const [field, values] of Object.entries(value)) {
    if (!(FILTER_FIELDS as readonly string[]).includes(field)) {
      reader.fail(`filter.${field}`, `is not a filter; filters are ${FILTER_FIELDS.join(', ')}`)
      continue
    }
    filter[field] = reader.strings(`filter.${field}`, values, 100)
  }
  return filter
}

/** The rule's filter over a window. */
export function ruleFilter(rule: AlertRule, fromMs: number, toMs: number): SpanFilter {
  return { ...(rule.filter as Partial<SpanFilter>), fromMs, toMs }
}

/**
 * The rules of an alerts file: `{"rules": [...]}` or a bare array. Every problem in the file is
 * reported at once, each naming its rule and field.
 */
export function loadAlertRulesFile(path: string, allow: WebhookAllowList): AlertRule[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new RuleError([`alerts file ${path}: ${(error as Error).message}`])
  }
  const list = Array.isArray(parsed) ? parsed : isObject(parsed) ? parsed.rules : undefined
  if (!Array.isArray(list)) {
    throw new RuleError([`alerts file ${path}: expected {"rules": [...]} or an array of rules`])
  }
  const problems: string[] = []
  const rules: AlertRule[] = []
  const ids = new Set<string>()
  for (const [i, input] of list.entries()) {
    try {
      const rule = validateRule(input, `rules[${i}]`, allow, `file-${i + 1}`)
      if (ids.has(rule.id))
        problems.push(`rules[${i}].id ${show(rule.id)} is used by an earlier rule`)
      ids.add(rule.id)
      rules.push(rule)
    } catch (error) {
      if (!(error instanceof RuleError)) throw error
      problems.push(...error.problems)
    }
  }
  if (problems.length > 0) throw new RuleError(problems.map((p) => `alerts file ${path}: ${p}`))
  return rules
}
