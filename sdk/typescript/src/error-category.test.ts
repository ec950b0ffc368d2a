import assert from 'node:assert/strict'
import { test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { errorCategory, spanErrorFrom } from './error-category.ts'

// Real error objects of the official clients, made the way the clients make them.
const openaiError = (status: number, body: object) =>
  OpenAI.APIError.generate(status, body, undefined, new Headers())
const anthropicError = (status: number, body: object) =>
  Anthropic.APIError.generate(status, body, undefined, new Headers())

test('OpenAI errors by class, status and code', () => {
  assert.equal(errorCategory(openaiError(429, { error: { message: 'slow down' } })), 'rate_limit')
  assert.equal(errorCategory(openaiError(401, { error: { message: 'bad key' } })), 'auth')
  assert.equal(errorCategory(openaiError(403, { error: { message: 'no' } })), 'auth')
  assert.equal(errorCategory(openaiError(500, { error: { message: 'oops' } })), 'server_error')
  assert.equal(errorCategory(openaiError(504, { error: { message: 'late' } })), 'timeout')
  assert.equal(errorCategory(openaiError(404, { error: { message: 'where' } })), 'invalid_request')
  const contextLength = openaiError(400, {
    error: {
      message: "This model's maximum context length is 128000 tokens.",
      code: 'context_length_exceeded',
    },
  })
  assert.equal(errorCategory(contextLength), 'context_length')
  const filtered = openaiError(400, { error: { message: 'Blocked.', code: 'content_filter' } })
  assert.equal(errorCategory(filtered), 'content_filter')
  assert.equal(errorCategory(new OpenAI.APIUserAbortError()), 'cancelled')
  assert.equal(errorCategory(new OpenAI.APIConnectionTimeoutError()), 'timeout')
  assert.equal(errorCategory(new OpenAI.APIConnectionError({ message: 'refused' })), 'network')
})

test('Anthropic errors, including its 529 and its nested message', () => {
  const overloaded = anthropicError(529, {
    type: 'error',
    error: { type: 'overloaded_error', message: 'Overloaded' },
  })
  assert.deepEqual(spanErrorFrom(overloaded), {
    type: 'server_error',
    message: 'Overloaded',
    httpStatus: 529,
  })
  const tooLong = anthropicError(400, {
    type: 'error',
    error: {
      type: 'invalid_request_error',
      message: 'prompt is too long: 210000 tokens > 200000 maximum',
    },
  })
  assert.equal(errorCategory(tooLong), 'context_length')
})

test('anything else thrown', () => {
  assert.equal(errorCategory(new TypeError('fetch failed')), 'network')
  assert.equal(errorCategory(new DOMException('aborted', 'AbortError')), 'cancelled')
  assert.equal(errorCategory(new DOMException('late', 'TimeoutError')), 'timeout')
  assert.equal(errorCategory(new Error('boom')), 'unknown')
  assert.deepEqual(spanErrorFrom('a string'), {
    type: 'unknown',
    message: 'a string',
    httpStatus: null,
  })
})
