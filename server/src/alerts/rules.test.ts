import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebhookAllowList } from './allow-list.ts'
import { loadAlertRulesFile, RuleError, validateRule } from './rules.ts'

const allow = WebhookAllowList.parse('127.0.0.1')

function problems(input: unknown): string[] {
  try {
    validateRule(input, 'body', allow, 'rule-x')
  } catch (error) {
    if (error instanceof RuleError) return error.problems
    throw error
  }
  return []
}

const threshold = { type: 'threshold', op: '>', value: 0.05 } as const

describe('validateRule', () => {
  test('fills the defaults of what a rule leaves out', () => {
    expect(
      validateRule(
        { name: 'errors', metric: 'errorRate', condition: threshold },
        'body',
        allow,
        'rule-x',
      ),
    ).toEqual({
      id: 'rule-x',
      name: 'errors',
      metric: 'errorRate',
      condition: threshold,
      filter: {},
      groupBy: ['model'],
      windowMs: 300_000,
      cooldownMs: 900_000,
      minCount: 20,
      webhooks: [],
    })
  })

  test('an anomaly condition defaults to critical', () => {
    const rule = validateRule(
      { name: 'a', metric: 'any', condition: { type: 'anomaly' } },
      'body',
      allow,
      'r',
    )
    expect(rule.condition).toEqual({ type: 'anomaly', severity: 'critical' })
  })

  test('every problem names its field, what was seen and what is allowed', () => {
    expect(
      problems({
        id: 'has space',
        metric: 'latency',
        condition: { type: 'threshold', op: '=>', value: 1 },
        filter: { colour: ['red'], model: 'gpt-4o' },
        windowMs: 1000,
        webhooks: ['https://example.com/x'],
        extra: true,
      }),
    ).toEqual([
      'body.extra is not a rule field; rules take id, name, metric, condition, filter, groupBy, windowMs, cooldownMs, minCount, webhooks',
      'body.id must be 1 to 64 letters, digits, ".", "_" or "-" (actual: "has space")',
      'body.name is required',
      'body.condition.op must be one of >, >=, <, <= (actual: "=>")',
      'body.filter.colour is not a filter; filters are model, modelFamily, provider, endpoint, environment, release, userId, sessionId, kind, status, errorType, tag',
      'body.filter.model must be an array of at most 100 strings (actual: "gpt-4o")',
      'body.windowMs must be an integer from 60000 to 604800000 (actual: 1000)',
      'body.webhooks[0] is refused: example.com is not on LLMLENS_WEBHOOK_ALLOW (127.0.0.1)',
    ])
  })

  test('a metric must fit its condition', () => {
    expect(problems({ name: 'n', metric: 'spanLatencyMs', condition: threshold })[0]).toStartWith(
      'body.metric must be one of count, errorCount, errorRate,',
    )
    expect(problems({ name: 'n', metric: 'scores.helpfulness', condition: threshold })).toEqual([])
    expect(
      problems({ name: 'n', metric: 'latencyMs.p95', condition: { type: 'anomaly' } })[0],
    ).toBe(
      'body.metric must be one of latencyMs, latencyP95Ms, costPerCallUsd, errorRate, inputTokens, outputTokens, spanLatencyMs, any for a anomaly condition (actual: "latencyMs.p95")',
    )
  })
})

describe('loadAlertRulesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmlens-alerts-'))
  const file = (name: string, content: unknown) => {
    const path = join(dir, name)
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
    return path
  }

  test('reads {"rules": [...]}, numbering rules without an id', () => {
    const path = file('ok.json', {
      rules: [
        { name: 'errors', metric: 'errorRate', condition: threshold },
        {
          id: 'slow',
          name: 'slow',
          metric: 'latencyMs.p95',
          condition: { ...threshold, value: 2000 },
        },
      ],
    })
    expect(loadAlertRulesFile(path, allow).map((r) => r.id)).toEqual(['file-1', 'slow'])
  })

  test('reports every bad rule at once, each by its index and field', () => {
    const path = file('bad.json', [
      { name: 'a', metric: 'errorRate', condition: { type: 'threshold', op: '>' } },
      { id: 'x', name: 'b', metric: 'errorRate', condition: threshold },
      { id: 'x', name: 'c', metric: 'errorRate', condition: threshold },
      { name: 'd', metric: 'errorRate', condition: threshold, cooldownMs: -1 },
    ])
    expect(() => loadAlertRulesFile(path, allow)).toThrow(
      `alerts file ${path}: rules[0].condition.value must be a number (actual: undefined); ` +
        `alerts file ${path}: rules[2].id "x" is used by an earlier rule; ` +
        `alerts file ${path}: rules[3].cooldownMs must be an integer from 0 to 604800000 (actual: -1)`,
    )
  })

  test('a file that is not JSON says so', () => {
    const path = file('broken.json', '{ rules: ')
    expect(() => loadAlertRulesFile(path, allow)).toThrow(`alerts file ${path}: `)
    expect(() => loadAlertRulesFile(file('wrong.json', { alerts: [] }), allow)).toThrow(
      'expected {"rules": [...]} or an array of rules',
    )
  })
})
