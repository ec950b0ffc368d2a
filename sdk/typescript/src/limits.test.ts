import assert from 'node:assert/strict'
import { test } from 'node:test'
import { WIRE_LIMITS } from './limits.ts'
import { schema } from './testing/contract.ts'

// The SDK repeats the contract's limits; these are the places the JSON Schema states them.
test('the SDK limits are the contract limits', () => {
  const span = schema('span.schema.json').properties ?? {}
  const score = schema('score.schema.json').properties ?? {}
  const request = schema('ingest-request.schema.json').properties ?? {}
  const type = (field: string) => span[field] as { maxLength?: number }
  assert.equal(WIRE_LIMITS.nameLengthMax, type('name').maxLength)
  for (const field of ['provider', 'model', 'requestModel', 'endpoint', 'userId', 'sessionId']) {
    assert.equal(WIRE_LIMITS.labelLengthMax, type(field).maxLength, field)
  }
  assert.equal(WIRE_LIMITS.tagsPerSpanMax, span.tags?.maxItems)
  assert.equal(WIRE_LIMITS.tagLengthMax, span.tags?.items?.maxLength)
  assert.equal(WIRE_LIMITS.errorMessageLengthMax, span.error?.properties?.message?.maxLength)
  assert.equal(WIRE_LIMITS.commentLengthMax, (score.comment as { maxLength?: number }).maxLength)
  assert.equal(WIRE_LIMITS.spansPerRequestMax, request.spans?.maxItems)
  const metadata = span.metadata as {
    maxProperties?: number
    propertyNames?: { maxLength?: number }
  }
  const values = (span.metadata as { patternProperties?: Record<string, { maxLength?: number }> })
    .patternProperties
  const metadataValue = Object.values(values ?? {})[0]
  assert.equal(WIRE_LIMITS.metadataKeysMax, metadata.maxProperties)
  assert.equal(WIRE_LIMITS.metadataKeyLengthMax, metadata.propertyNames?.maxLength)
  assert.equal(WIRE_LIMITS.metadataValueLengthMax, metadataValue?.maxLength)
  const usage = span.usage?.properties?.inputTokens as { maximum?: number }
  assert.equal(WIRE_LIMITS.tokensMax, usage.maximum)
  assert.equal(WIRE_LIMITS.costUsdMax, (span.costUsd as { maximum?: number }).maximum)
  const ttft = span.timeToFirstTokenMs as { maximum?: number }
  assert.equal(WIRE_LIMITS.durationMsMax, ttft.maximum)
})
