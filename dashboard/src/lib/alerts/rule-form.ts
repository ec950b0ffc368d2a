import type { AlertRule } from '@llmlens/spec'
import { ApiError } from '../api/client.ts'
import { entriesOf } from '../safe/entries.ts'

/**
 * The rule editor's fields as typed. They go to the server as typed, converted only where the
 * form's unit differs from the API's (minutes to milliseconds): the server validates every
 * rule, and its messages, shown beside the fields they name, are the one source of truth.
 */
export interface RuleForm {
  id: string
  name: string
  type: 'threshold' | 'anomaly'
  metric: string
  op: string
  value: string
  severity: 'warning' | 'critical'
  /** One `dimension=value` a line. */
  filter: string
  groupBy: string[]
  windowMinutes: string
  cooldownMinutes: string
  minCount: string
  /** One URL a line. */
  webhooks: string
}

export function emptyForm(): RuleForm {
  return {
    id: '',
    name: '',
    type: 'threshold',
    metric: 'latencyMs.p95',
    op: '>',
    value: '',
    severity: 'critical',
    filter: '',
    groupBy: ['model'],
    windowMinutes: '5',
    cooldownMinutes: '15',
    minCount: '',
    webhooks: '',
  }
}

/** The fields an error can be shown next to; '' is the form as a whole. */
export const FORM_FIELDS = [
  'id',
  'name',
  'metric',
  'condition.type',
  'condition.op',
  'condition.value',
  'condition.severity',
  'filter',
  'groupBy',
  'windowMs',
  'cooldownMs',
  'minCount',
  'webhooks',
] as const
export type FormField = (typeof FORM_FIELDS)[number] | ''

export const THRESHOLD_OPS = ['>', '>=', '<', '<='] as const

/** Metrics a threshold rule may watch, as the server names them; scores.<name> also works. */
export const THRESHOLD_METRICS = [
  'count',
  'errorCount',
  'errorRate',
  'latencyMs.p50',
  'latencyMs.p95',
  'latencyMs.p99',
  'latencyMs.mean',
  'latencyMs.max',
  'ttftMs.p50',
  'ttftMs.p95',
  'ttftMs.p99',
  'costUsd',
  'costPerCallUsd',
  'usage.inputTokens',
  'usage.outputTokens',
]

/** Metrics an anomaly rule may watch; `any` fires on an anomaly of any of them. */
export const ANOMALY_RULE_METRICS = [
  'any',
  'latencyMs',
  'latencyP95Ms',
  'errorRate',
  'costPerCallUsd',
  'inputTokens',
  'outputTokens',
  'spanLatencyMs',
]

/** Dimensions an anomaly rule may judge groups by apart. */
export const GROUP_BY_CHOICES = ['model', 'provider', 'endpoint', 'environment', 'release']

const MINUTE_MS = 60_000

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')

/** A number when the text is one, else the text itself, for the server to refuse by name. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim()
  const value = Number(trimmed)
  return trimmed !== '' && Number.isFinite(value) ? value : trimmed
}

function minutesToMs(text: string): number | string {
  const value = numberOrText(text)
  return typeof value === 'number' ? Math.round(value * MINUTE_MS) : value
}

/**
 * `dimension=value` lines as the API's filter object. A dimension may repeat; a line without
 * `=` is sent as a dimension with an empty value, so the server says what is wrong with it.
 * Object.fromEntries defines own properties, so even a `__proto__` line is a plain key.
 */
export function parseFilter(text: string): Record<string, string[]> {
  const byDimension = new Map<string, string[]>()
  for (const line of lines(text)) {
    const at = line.indexOf('=')
    const dimension = (at < 0 ? line : line.slice(0, at)).trim()
    const value = at < 0 ? '' : line.slice(at + 1).trim()
    byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), value])
  }
  return Object.fromEntries(byDimension)
}

/** The body of POST /api/v1/alerts/rules for the form; blank optional fields are left out. */
export function ruleBody(form: RuleForm): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  if (form.id.trim() !== '') body.id = form.id.trim()
  body.name = form.name
  body.metric = form.metric.trim()
  body.condition =
    form.type === 'threshold'
      ? { type: 'threshold', op: form.op, value: numberOrText(form.value) }
      : { type: 'anomaly', severity: form.severity }
  const filter = parseFilter(form.filter)
  if (Object.keys(filter).length > 0) body.filter = filter
  if (form.type === 'anomaly') body.groupBy = form.groupBy
  if (form.windowMinutes.trim() !== '') body.windowMs = minutesToMs(form.windowMinutes)
  if (form.cooldownMinutes.trim() !== '') body.cooldownMs = minutesToMs(form.cooldownMinutes)
  if (form.minCount.trim() !== '') body.minCount = numberOrText(form.minCount)
  const webhooks = lines(form.webhooks)
  if (webhooks.length > 0) body.webhooks = webhooks
  return body
}

/** The field a problem's path names: `condition.value`, `filter` for `filter.model[0]`. */
export function fieldOf(path: string): FormField {
  const match = /^([A-Za-z]+)(?:\.([A-Za-z]+))?/.exec(path)
  if (match === null) return ''
  const [, top, sub] = match
  if (top === 'condition') {
    const field = `condition.${sub ?? 'type'}`
    return (FORM_FIELDS as readonly string[]).includes(field)
      ? (field as FormField)
      : 'condition.type'
  }
  return (FORM_FIELDS as readonly string[]).includes(top ?? '') ? (top as FormField) : ''
}

/**
 * The server's refusal of a rule, split into the problems it lists, each with the field it
 * names. A 400 lists `body.<path> <what is wrong>` problems joined by "; " (a problem's own
 * text may contain "; " too, so only a "; body" starts a new one); a 409 is about the id.
 */
export function fieldErrors(error: unknown): Map<FormField, string[]> {
  const out = new Map<FormField, string[]>()
  const add = (field: FormField, message: string) =>
    out.set(field, [...(out.get(field) ?? []), message])
  if (!(error instanceof ApiError)) {
    add('', error instanceof Error ? error.message : String(error))
    return out
  }
  if (error.status === 409 && /\bid\b/.test(error.message)) {
    add('id', error.message)
    return out
  }
  if (error.status !== 400) {
    add('', error.message)
    return out
  }
  for (const problem of error.message.split(/; (?=body\b)/)) {
    const path = /^body\.(\S+)/.exec(problem)
    if (path === null) {
      add('', problem)
      continue
    }
    const field = fieldOf(path[1] ?? '')
    add(field, field === '' ? problem : problem.slice('body.'.length))
  }
  return out
}

/** A rule's condition in words: "latencyMs.p95 > 2000", "critical anomaly in any metric". */
export function conditionText(rule: Pick<AlertRule, 'metric' | 'condition'>): string {
  if (rule.condition.type === 'threshold') {
    return `${rule.metric} ${rule.condition.op} ${rule.condition.value}`
  }
  const on = rule.metric === 'any' ? 'any metric' : rule.metric
  const least = rule.condition.severity === 'warning' ? 'warning or critical' : 'critical'
  return `${least} anomaly in ${on}`
}

/** A rule's filter in words: "model=gpt-4o, tag=beta", or all model calls. */
export function filterText(filter: AlertRule['filter']): string {
  const parts = entriesOf(filter).flatMap(([dimension, values]) =>
    Array.isArray(values) ? values.map((value) => `${dimension}=${String(value)}`) : [],
  )
  return parts.length === 0 ? 'all model calls' : parts.join(', ')
}
