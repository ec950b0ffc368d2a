import { type Static, Type } from '@sinclair/typebox'
import { MetricsSchema } from './api.ts'
import { nullable, nullableEnum, stringEnum } from './schema-helpers.ts'

const maybeText = nullable(Type.String())
const maybeNumber = nullable(Type.Number())

const groupKey = Type.Record(Type.String(), maybeText, {
  description: 'The value of each groupBy dimension for this group',
})

export const SEVERITIES = ['warning', 'critical'] as const

export const AnomalySchema = Type.Object(
  {
    metric: Type.String({
      description:
        'latencyMs (mean), latencyP95Ms, costPerCallUsd, errorRate, inputTokens or outputTokens ' +
        '(per successful call) for a bucket; spanLatencyMs for one call',
    }),
    kind: stringEnum(['bucket', 'span'], 'A whole time bucket, or a single call'),
    key: groupKey,
    time: Type.Number({ description: 'Bucket start, or the call start, epoch ms' }),
    value: Type.Number({ description: "The bucket's or call's value, in the metric's unit" }),
    expected: Type.Number({ description: 'The baseline it was measured against' }),
    zScore: Type.Number({ description: 'Standard deviations from the baseline' }),
    severity: stringEnum(
      SEVERITIES,
      'warning at |z| ≥ 2; critical at |z| ≥ 4 or a sustained shift',
    ),
    method: Type.String({
      description: 'robust, zscore or binomial for a bucket; robust for a call',
    }),
    count: Type.Integer({ description: 'Calls in the bucket (1 for a call)' }),
    sustainedBuckets: Type.Integer({
      description: 'Consecutive buckets whose combined z made the shift critical; 1 for a spike',
    }),
    spanIds: Type.Array(Type.String(), {
      description: 'The call itself, or the slowest (failed, for errorRate) calls of the bucket',
    }),
  },
  { $id: 'Anomaly' },
)

export const AnomaliesSchema = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    stepMs: Type.Integer(),
    groupBy: Type.Array(Type.String()),
    evaluations: Type.Integer({ description: 'Bucket and metric pairs with enough data to judge' }),
    truncated: Type.Boolean({ description: 'True when more anomalies were found than listed' }),
    anomalies: Type.Array(AnomalySchema),
  },
  { $id: 'Anomalies' },
)

export const TestResultSchema = Type.Object(
  {
    a: maybeNumber,
    b: maybeNumber,
    diff: nullable(Type.Number({ description: 'b − a' })),
    ci95: nullable(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 })),
    pValue: maybeNumber,
    method: Type.String(),
    nA: Type.Integer(),
    nB: Type.Integer(),
    significant: Type.Boolean({ description: 'p < 0.05 with samples large enough to conclude' }),
    warning: nullable(Type.String({ description: 'Why the samples are too small to conclude' })),
  },
  { $id: 'TestResult' },
)

const arm = Type.Intersect([Type.Object({ value: Type.String() }), MetricsSchema])

export const CompareSchema = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    dimension: Type.String(),
    a: arm,
    b: arm,
    tests: Type.Record(Type.String(), TestResultSchema, {
      description:
        'latencyMs, ttftMs, errorRate, costPerCallUsd, inputTokens, outputTokens, scores.*',
    }),
    warnings: Type.Array(Type.String()),
  },
  { $id: 'Compare' },
)

const windowStats = Type.Object({
  count: Type.Integer(),
  p50: Type.Optional(maybeNumber),
  mean: Type.Optional(maybeNumber),
  shares: Type.Optional(Type.Record(Type.String(), Type.Number())),
})

export const FeatureDriftSchema = Type.Object(
  {
    feature: Type.String(),
    kind: stringEnum(['numeric', 'categorical'], 'KS test for numeric, chi-square for categorical'),
    psi: maybeNumber,
    level: nullableEnum(['stable', 'moderate', 'major'], 'PSI < 0.1, 0.1–0.2, ≥ 0.2'),
    test: nullable(
      Type.Object({ method: Type.String(), statistic: Type.Number(), pValue: Type.Number() }),
    ),
    flagged: Type.Boolean({ description: 'PSI ≥ psiMajor and the test p-value < alpha' }),
    reference: windowStats,
    current: windowStats,
    warning: maybeText,
  },
  { $id: 'FeatureDrift' },
)

export const DriftSchema = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    referenceFrom: Type.Number(),
    referenceTo: Type.Number(),
    thresholds: Type.Object({
      psiMajor: Type.Number(),
      psiModerate: Type.Number(),
      alpha: Type.Number(),
    }),
    features: Type.Array(FeatureDriftSchema),
    flagged: Type.Array(Type.String({ description: 'Names of the flagged features' })),
  },
  { $id: 'Drift' },
)

export const THRESHOLD_OPS = ['>', '>=', '<', '<='] as const

const ruleFilter = Type.Record(Type.String(), Type.Array(Type.String()), {
  description: 'Span filter: model, provider, endpoint, environment, release, kind, tag, …',
})

const ruleFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  metric: Type.String({
    description:
      'A threshold metric (errorRate, latencyMs.p95, costUsd, scores.<name>, …) or, for an ' +
      'anomaly condition, an anomaly metric or "any"',
  }),
  condition: Type.Union([
    Type.Object({
      type: Type.Literal('threshold'),
      op: stringEnum(THRESHOLD_OPS, 'Comparison of the metric with value'),
      value: Type.Number(),
    }),
    Type.Object({
      type: Type.Literal('anomaly'),
      severity: stringEnum(SEVERITIES, 'The least severity that fires'),
    }),
  ]),
  filter: ruleFilter,
  groupBy: Type.Array(Type.String(), { description: 'Anomaly rules: groups judged apart' }),
  windowMs: Type.Integer({ description: 'The metric is computed over this trailing window' }),
  cooldownMs: Type.Integer({
    description: 'After firing, the rule stays quiet at least this long',
  }),
  minCount: Type.Integer({ description: 'Threshold rules: fewer calls in the window is no data' }),
  webhooks: Type.Array(Type.String({ description: 'An http(s) URL on LLMLENS_WEBHOOK_ALLOW' })),
}

export const AlertRuleSchema = Type.Object(
  { id: Type.String({ description: 'Letters, digits, ".", "_" and "-"' }), ...ruleFields },
  { $id: 'AlertRule' },
)

/** A rule as a client sends it: everything but name, metric and condition has a default. */
export const AlertRuleInputSchema = Type.Object(
  {
    id: Type.Optional(AlertRuleSchema.properties.id),
    name: ruleFields.name,
    metric: ruleFields.metric,
    condition: ruleFields.condition,
    filter: Type.Optional(ruleFields.filter),
    groupBy: Type.Optional(ruleFields.groupBy),
    windowMs: Type.Optional(ruleFields.windowMs),
    cooldownMs: Type.Optional(ruleFields.cooldownMs),
    minCount: Type.Optional(ruleFields.minCount),
    webhooks: Type.Optional(ruleFields.webhooks),
  },
  { $id: 'AlertRuleInput' },
)

export const ALERT_STATES = ['firing', 'resolved'] as const

export const AlertRuleViewSchema = Type.Intersect([
  AlertRuleSchema,
  Type.Object({
    source: stringEnum(['file', 'api'], 'file rules change only by editing LLMLENS_ALERTS'),
    state: stringEnum(['ok', 'firing'], 'Whether the rule is firing now'),
    since: nullable(Type.Number({ description: 'When the state last changed, epoch ms' })),
  }),
])

export const AlertRulesSchema = Type.Object(
  { rules: Type.Array(AlertRuleViewSchema) },
  { $id: 'AlertRules' },
)

export const AlertEventSchema = Type.Object(
  {
    id: Type.Integer(),
    ruleId: Type.String(),
    ruleName: Type.String(),
    state: stringEnum(ALERT_STATES, 'The rule started or stopped firing'),
    time: Type.Number({ description: 'Epoch ms' }),
    metric: Type.String(),
    value: maybeNumber,
    condition: Type.String({ description: 'What the value was held against, in words' }),
    key: nullable(groupKey),
    message: Type.String(),
  },
  { $id: 'AlertEvent' },
)

export const AlertHistoryPageSchema = Type.Object(
  {
    items: Type.Array(AlertEventSchema),
    nextCursor: nullable(Type.String({ description: 'Pass as cursor for the next page' })),
  },
  { $id: 'AlertHistoryPage' },
)

export const AlertDeletedSchema = Type.Object({ deleted: Type.String() }, { $id: 'AlertDeleted' })

export type Anomaly = Static<typeof AnomalySchema>
export type Anomalies = Static<typeof AnomaliesSchema>
export type TestResultReply = Static<typeof TestResultSchema>
export type Compare = Static<typeof CompareSchema>
export type FeatureDriftReply = Static<typeof FeatureDriftSchema>
export type Drift = Static<typeof DriftSchema>
export type AlertRule = Static<typeof AlertRuleSchema>
export type AlertRuleInput = Static<typeof AlertRuleInputSchema>
export type AlertRuleView = Static<typeof AlertRuleViewSchema>
export type AlertRules = Static<typeof AlertRulesSchema>
export type AlertEvent = Static<typeof AlertEventSchema>
export type AlertHistoryPage = Static<typeof AlertHistoryPageSchema>
