import { describe, expect, test } from 'bun:test'
import { ApiError } from '../api/client.ts'
import {
  conditionText,
  emptyForm,
  fieldErrors,
  fieldOf,
  filterText,
  parseFilter,
  ruleBody,
} from './rule-form.ts'

describe('ruleBody', () => {
  test('a threshold rule: minutes become milliseconds, blank optional fields stay out', () => {
    const body = ruleBody({ ...emptyForm(), name: 'Slow p95', value: '2000' })
    expect(body).toEqual({
      name: 'Slow p95',
      metric: 'latencyMs.p95',
      condition: { type: 'threshold', op: '>', value: 2000 },
      windowMs: 300_000,
      cooldownMs: 900_000,
    })
  })

  test('an anomaly rule sends its severity and groups, and every optional field given', () => {
    const body = ruleBody({
      ...emptyForm(),
      id: ' spike-pager ',
      name: 'Spikes',
      type: 'anomaly',
      metric: 'any',
      severity: 'warning',
      groupBy: ['model', 'endpoint'],
      filter: 'model=gpt-4o\n\nmodel = claude-sonnet-4\ntag=beta',
      minCount: '50',
      webhooks: ' https://hooks.example.com/a \n',
    })
    expect(body).toEqual({
      id: 'spike-pager',
      name: 'Spikes',
      metric: 'any',
      condition: { type: 'anomaly', severity: 'warning' },
      filter: { model: ['gpt-4o', 'claude-sonnet-4'], tag: ['beta'] },
      groupBy: ['model', 'endpoint'],
      windowMs: 300_000,
      cooldownMs: 900_000,
      minCount: 50,
      webhooks: ['https://hooks.example.com/a'],
    })
  })

  test('what is not a number goes as typed, for the server to refuse by name', () => {
    const body = ruleBody({ ...emptyForm(), value: 'lots', windowMinutes: 'soon', minCount: '2.5' })
    expect(body.condition).toEqual({ type: 'threshold', op: '>', value: 'lots' })
    expect(body.windowMs).toBe('soon')
    expect(body.minCount).toBe(2.5)
    expect(ruleBody({ ...emptyForm(), windowMinutes: '0.5' }).windowMs).toBe(30_000)
  })

  test('filter lines: a line without = is a dimension with an empty value; __proto__ is a key', () => {
    const filter = parseFilter('model\n__proto__=x')
    expect(Object.keys(filter)).toEqual(['model', '__proto__'])
    expect(filter.model).toEqual([''])
    expect(Object.getPrototypeOf(filter)).toBe(Object.prototype)
    expect(JSON.stringify(filter)).toBe('{"model":[""],"__proto__":["x"]}')
  })
})

describe('fieldErrors', () => {
  // The server's answer to a rule with five problems, one of which contains "; " itself.
  const refusal = new ApiError(
    400,
    'body.condition.value must be a number (actual: "a"); body.filter.model[0] must be a ' +
      'non-empty string (actual: 1); body.filter.foo is not a filter; filters are model, tag; ' +
      'body.windowMs must be an integer from 60000 to 604800000 (actual: 5); body.webhooks[0] is ' +
      'refused: webhooks are off: no host is allowed; add evil.example to LLMLENS_WEBHOOK_ALLOW',
  )

  test('each problem lands on the field it names, in the server words', () => {
    const errors = fieldErrors(refusal)
    expect([...errors.keys()]).toEqual(['condition.value', 'filter', 'windowMs', 'webhooks'])
    expect(errors.get('condition.value')).toEqual([
      'condition.value must be a number (actual: "a")',
    ])
    expect(errors.get('filter')).toEqual([
      'filter.model[0] must be a non-empty string (actual: 1)',
      'filter.foo is not a filter; filters are model, tag',
    ])
    expect(errors.get('webhooks')).toEqual([
      'webhooks[0] is refused: webhooks are off: no host is allowed; add evil.example to LLMLENS_WEBHOOK_ALLOW',
    ])
  })

  test('problems without a known field belong to the form', () => {
    const errors = fieldErrors(
      new ApiError(400, 'body.colour is not a rule field; rules take id, name'),
    )
    expect(errors.get('')).toEqual(['body.colour is not a rule field; rules take id, name'])
    expect(fieldErrors(new ApiError(400, 'body is not JSON: x')).get('')).toEqual([
      'body is not JSON: x',
    ])
  })

  test('a taken id is the id field; other refusals and faults are the form', () => {
    const taken = new ApiError(409, 'an alert rule with id "slow" exists already')
    expect(fieldErrors(taken).get('id')).toEqual(['an alert rule with id "slow" exists already'])
    const full = new ApiError(409, 'at most 500 alert rules are allowed; delete one first')
    expect(fieldErrors(full).get('')).toEqual([full.message])
    expect(fieldErrors(new Error('offline')).get('')).toEqual(['offline'])
  })

  test('paths map to fields', () => {
    expect(fieldOf('condition')).toBe('condition.type')
    expect(fieldOf('condition.colour')).toBe('condition.type')
    expect(fieldOf('groupBy[2]')).toBe('groupBy')
    expect(fieldOf('name')).toBe('name')
    expect(fieldOf('constructor')).toBe('')
  })
})

describe('rules in words', () => {
  test('conditions and filters', () => {
    const threshold = {
      metric: 'errorRate',
      condition: { type: 'threshold', op: '>=', value: 0.05 },
    } as const
    expect(conditionText(threshold)).toBe('errorRate >= 0.05')
    expect(
      conditionText({ metric: 'any', condition: { type: 'anomaly', severity: 'critical' } }),
    ).toBe('critical anomaly in any metric')
    expect(filterText({ model: ['a', 'b'], tag: ['<b>x</b>'] })).toBe(
      'model=a, model=b, tag=<b>x</b>',
    )
    expect(filterText({})).toBe('all model calls')
  })
})
