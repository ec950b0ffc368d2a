import { randomBytes } from 'node:crypto'
import type { AlertEvent, AlertRule, AlertRuleView, Anomaly } from '@llmlens/spec'
import { ANOMALY_METRICS, type AnomalyMetric } from '../analytics/anomalies.ts'
import { ANOMALY_QUERY_DEFAULTS, callFilter, evaluateAnomalies } from '../analytics/evaluate.ts'
import type { Logger } from '../log.ts'
import type { Hub } from '../realtime/hub.ts'
import type { AlertHistoryPage, AlertHistoryQuery, GroupDimension, Store } from '../store/types.ts'
import type { WebhookAllowList } from './allow-list.ts'
import { RULE_LIMITS, RuleError, ruleFilter, thresholdValue, validateRule } from './rules.ts'
import { WebhookSender } from './webhook.ts'

/** A request about a rule that cannot be done as asked; `status` says which HTTP status fits. */
export class AlertRequestError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message)
  }
}

export interface AlertsDeps {
  store: Store
  hub: Hub
  log: Logger
  allow: WebhookAllowList
  /** Rules of the alerts file, already validated; they cannot be changed through the API. */
  fileRules?: readonly AlertRule[]
  webhooks?: WebhookSender
}

type Key = Record<string, string | null>

/** What a rule's condition says of its window now. */
interface Reading {
  holds: boolean
  value: number | null
  key: Key | null
  /** The reading in words, for the notification. */
  detail: string
}

interface RuleState {
  firing: boolean
  since: number | null
  lastFiredMs: number | null
}

const MINUTE_MS = 60_000

const COMPARE = {
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
} as const

function conditionText(rule: AlertRule): string {
  return rule.condition.type === 'threshold'
    ? `${rule.condition.op} ${rule.condition.value}`
    : `${rule.condition.severity} anomaly`
}

function keyText(key: Key | null): string {
  if (key === null) return ''
  const parts = Object.entries(key).map(([k, v]) => `${k}=${v ?? '(none)'}`)
  return parts.length === 0 ? '' : ` for ${parts.join(', ')}`
}

const minutes = (ms: number) => `${Math.round(ms / MINUTE_MS)} min`
// Four significant digits: 0.4, 2431, 0.0123; never 0.40000000000000002.
const figure = (value: number) => String(Number(value.toPrecision(4)))

/**
 * Alert rules, their state, and what happens when one changes: a history row, an `alert` event
 * on the live stream, and a POST to each of the rule's webhooks. State survives a restart: a
 * rule whose last event was a firing is still firing, and fires no second time.
 */
export class Alerts {
  private readonly states = new Map<string, RuleState>()
  private readonly fileRules: readonly AlertRule[]
  readonly webhooks: WebhookSender

  constructor(private readonly deps: AlertsDeps) {
    this.fileRules = deps.fileRules ?? []
    this.webhooks = deps.webhooks ?? new WebhookSender(deps.allow, deps.log)
    for (const event of deps.store.lastAlertEvents()) {
      const firing = event.state === 'firing'
      this.states.set(event.ruleId, {
        firing,
        since: event.time,
        lastFiredMs: firing ? event.time : null,
      })
    }
  }

  private allRules(): AlertRule[] {
    return [...this.fileRules, ...this.deps.store.alertRules()]
  }

  rules(): AlertRuleView[] {
    const fromFile = new Set(this.fileRules.map((rule) => rule.id))
    return this.allRules().map((rule) => {
      const state = this.states.get(rule.id)
      return {
        ...rule,
        source: fromFile.has(rule.id) ? 'file' : 'api',
        state: state?.firing ? 'firing' : 'ok',
        since: state?.since ?? null,
      }
    })
  }

  /** Validates and stores a rule from the API; throws RuleError or AlertRequestError. */
  add(input: unknown): AlertRule {
    const existing = this.allRules()
    if (existing.length >= RULE_LIMITS.rulesMax) {
      throw new AlertRequestError(
        409,
        `at most ${RULE_LIMITS.rulesMax} alert rules are allowed; delete one first`,
      )
    }
    const rule = validateRule(
      input,
      'body',
      this.deps.allow,
      `rule-${randomBytes(6).toString('hex')}`,
    )
    if (this.fileRules.some((r) => r.id === rule.id) || !this.deps.store.insertAlertRule(rule)) {
      throw new AlertRequestError(
        409,
        `an alert rule with id ${JSON.stringify(rule.id)} exists already`,
      )
    }
    this.deps.log.info('alert rule added', { rule: rule.id, metric: rule.metric })
    return rule
  }

  remove(id: string): void {
    if (this.fileRules.some((rule) => rule.id === id)) {
      throw new AlertRequestError(
        409,
        `alert rule ${JSON.stringify(id)} comes from the alerts file (LLMLENS_ALERTS); ` +
          'edit the file and restart to change it',
      )
    }
    if (!this.deps.store.deleteAlertRule(id)) {
      throw new AlertRequestError(404, `no alert rule has id ${JSON.stringify(id)}`)
    }
    this.states.delete(id)
    this.deps.log.info('alert rule deleted', { rule: id })
  }

  history(query: AlertHistoryQuery): AlertHistoryPage {
    return this.deps.store.alertEvents(query)
  }

  /** Reads every rule's window as of `nowMs`; returns the firings and resolvings it caused. */
  evaluate(nowMs: number): AlertEvent[] {
    const events: AlertEvent[] = []
    for (const rule of this.allRules()) {
      let reading: Reading
      try {
        reading = this.read(rule, nowMs)
      } catch (error) {
        this.deps.log.error('alert rule evaluation failed', { rule: rule.id, error: String(error) })
        continue
      }
      const event = this.transition(rule, reading, nowMs)
      if (event !== null) events.push(event)
    }
    return events
  }

  close(): void {
    this.webhooks.close()
  }

  private read(rule: AlertRule, nowMs: number): Reading {
    if (rule.condition.type === 'anomaly')
      return this.readAnomalies(rule, rule.condition.severity, nowMs)
    const filter = callFilter(ruleFilter(rule, nowMs - rule.windowMs, nowMs))
    const total = this.deps.store.summary({ filter, groupBy: [] }).total
    const over = `over the last ${minutes(rule.windowMs)}`
    if (total.count < rule.minCount) {
      return {
        holds: false,
        value: null,
        key: null,
        detail: `no data: ${total.count} calls ${over}, fewer than ${rule.minCount}`,
      }
    }
    const value = thresholdValue(rule.metric, total)
    const holds = value !== null && COMPARE[rule.condition.op](value, rule.condition.value)
    const shown = value === null ? 'has no value' : `is ${figure(value)}`
    return {
      holds,
      value,
      key: null,
      detail: `${rule.metric} ${shown} ${over} (${total.count} calls)`,
    }
  }

  /** Anomalies of the rule's window, closed buckets only: a bucket still filling is not judged. */
  private readAnomalies(rule: AlertRule, severity: 'warning' | 'critical', nowMs: number): Reading {
    const toMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS
    const metrics: readonly AnomalyMetric[] =
      rule.metric === 'any'
        ? ANOMALY_METRICS
        : rule.metric === 'spanLatencyMs'
          ? []
          : [rule.metric as AnomalyMetric]
    const { anomalies } = evaluateAnomalies(this.deps.store, {
      ...ANOMALY_QUERY_DEFAULTS,
      filter: callFilter(ruleFilter(rule, toMs - rule.windowMs, toMs)),
      groupBy: rule.groupBy as GroupDimension[],
      metrics,
      severityMin: severity,
      spans: rule.metric === 'spanLatencyMs' || rule.metric === 'any',
    })
    const strongest = anomalies.reduce<Anomaly | null>(
      (best, a) => (best === null || Math.abs(a.zScore) > Math.abs(best.zScore) ? a : best),
      null,
    )
    if (strongest === null) {
      return {
        holds: false,
        value: null,
        key: null,
        detail: `no ${severity} anomaly in the last ${minutes(rule.windowMs)}`,
      }
    }
    const at = new Date(strongest.time).toISOString().slice(11, 16)
    return {
      holds: true,
      value: strongest.value,
      key: strongest.key,
      detail:
        `${strongest.metric} at ${at} UTC is ${figure(strongest.value)} ` +
        `(expected ${figure(strongest.expected)}, z ${strongest.zScore.toFixed(1)}); ` +
        `${anomalies.length} anomalies in the last ${minutes(rule.windowMs)}`,
    }
  }

  private transition(rule: AlertRule, reading: Reading, nowMs: number): AlertEvent | null {
    const state = this.states.get(rule.id) ?? { firing: false, since: null, lastFiredMs: null }
    this.states.set(rule.id, state)
    const cooled = state.lastFiredMs === null || nowMs - state.lastFiredMs >= rule.cooldownMs
    let next: AlertEvent['state']
    if (!state.firing && reading.holds && cooled) next = 'firing'
    else if (state.firing && !reading.holds) next = 'resolved'
    else return null

    state.firing = next === 'firing'
    state.since = nowMs
    if (next === 'firing') state.lastFiredMs = nowMs
    const word = next === 'firing' ? 'FIRING' : 'RESOLVED'
    const event = this.deps.store.appendAlertEvent({
      ruleId: rule.id,
      ruleName: rule.name,
      state: next,
      time: nowMs,
      metric: rule.metric,
      value: reading.value,
      condition: conditionText(rule),
      key: reading.key,
      message:
        `[${word}] ${rule.name}: ${reading.detail}${keyText(reading.key)}; ` +
        `condition ${conditionText(rule)}`,
    })
    this.deps.hub.publish('alert', event)
    this.deps.log.info(`alert ${next}`, { rule: rule.id, value: reading.value })
    for (const url of rule.webhooks)
      this.webhooks.send(url, slackBody(event), `${rule.id}#${event.id}`)
    return event
  }
}

/**
 * A body Slack's incoming webhooks show as a message (`text`), with the event's fields beside it
 * for receivers that read JSON; Slack ignores the fields it does not know.
 */
export function slackBody(event: AlertEvent): object {
  return {
    text: event.message,
    alert: {
      event: event.state,
      id: event.id,
      ruleId: event.ruleId,
      ruleName: event.ruleName,
      metric: event.metric,
      value: event.value,
      condition: event.condition,
      key: event.key,
      time: new Date(event.time).toISOString(),
    },
  }
}

export { RuleError }
