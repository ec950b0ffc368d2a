import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffMs, RETRYABLE_STATUSES, retryAfterMs } from './retry.ts'

test('Retry-After in seconds or as an HTTP date', () => {
  const now = Date.parse('2026-12-03T10:00:00Z')
  assert.equal(retryAfterMs('2', now), 2000)
  assert.equal(retryAfterMs(' 0.5 ', now), 500)
  assert.equal(retryAfterMs('Thu, 03 Dec 2026 10:00:30 GMT', now), 30_000)
  assert.equal(retryAfterMs('Thu, 03 Dec 2026 09:00:00 GMT', now), 0, 'a past date means now')
  assert.equal(retryAfterMs('soon', now), null)
  assert.equal(retryAfterMs(null, now), null)
})

test('backoff doubles from 500 ms to a 5 s cap, with ±20% jitter', () => {
  assert.equal(
    backoffMs(0, () => 0.5),
    500,
  )
  assert.equal(
    backoffMs(1, () => 0.5),
    1000,
  )
  assert.equal(
    backoffMs(10, () => 0.5),
    5000,
  )
  assert.equal(Math.round(backoffMs(0, () => 0)), 400)
  assert.equal(Math.round(backoffMs(0, () => 1)), 600)
})

test('only "later" statuses are retried', () => {
  assert.deepEqual([...RETRYABLE_STATUSES].sort(), [429, 502, 503, 504])
})
