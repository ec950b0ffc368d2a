import { describe, expect, test } from 'bun:test'
import { ERROR_CATEGORIES, type ErrorCategory } from '@llmlens/spec'
import { categoriseError, type ErrorFacts } from './error-category.ts'

/** Errors as providers and runtimes report them, with the category each must land in. */
const examples: readonly [string, ErrorFacts, ErrorCategory][] = [
  [
    'OpenAI rate limit',
    {
      type: 'RateLimitError',
      message:
        'Rate limit reached for gpt-4o-mini in organization org-abc on tokens per min (TPM): ' +
        'Limit 200000, Used 199000, Requested 2000. Please try again in 300ms.',
      httpStatus: 429,
    },
    'rate_limit',
  ],
  [
    'OpenAI quota used up',
    {
      type: 'insufficient_quota',
      message: 'You exceeded your current quota, please check your plan and billing details.',
      httpStatus: 429,
    },
    'rate_limit',
  ],
  [
    'OpenAI context overflow, raised as a BadRequestError',
    {
      type: 'BadRequestError',
      message:
        "This model's maximum context length is 128000 tokens. However, your messages " +
        'resulted in 130532 tokens. Please reduce the length of the messages.',
      httpStatus: 400,
    },
    'context_length',
  ],
  [
    'OpenAI context overflow, by code only',
    { type: 'context_length_exceeded', message: null, httpStatus: 400 },
    'context_length',
  ],
  [
    'OpenAI bad API key',
    {
      type: 'AuthenticationError',
      message: 'Incorrect API key provided: sk-abc***xyz. You can find your API key at …',
      httpStatus: 401,
    },
    'auth',
  ],
  [
    'OpenAI unknown model',
    {
      type: 'NotFoundError',
      message: 'The model `gpt-9` does not exist or you do not have access to it.',
      httpStatus: 404,
    },
    'invalid_request',
  ],
  [
    'OpenAI bad parameter',
    {
      type: 'BadRequestError',
      message: "Invalid value for 'temperature': expected a number between 0 and 2.",
      httpStatus: 400,
    },
    'invalid_request',
  ],
  [
    'OpenAI SDK timeout (Python)',
    { type: 'openai.APITimeoutError', message: 'Request timed out.', httpStatus: null },
    'timeout',
  ],
  [
    'OpenAI SDK timeout (JavaScript)',
    { type: 'APIConnectionTimeoutError', message: 'Request timed out.' },
    'timeout',
  ],
  [
    'OpenAI SDK connection failure',
    { type: 'APIConnectionError', message: 'Connection error.' },
    'network',
  ],
  [
    'OpenAI SDK aborted by the caller',
    { type: 'APIUserAbortError', message: 'Request was aborted.' },
    'cancelled',
  ],
  [
    'OpenAI server error',
    {
      type: 'InternalServerError',
      message: 'The server had an error while processing your request. Sorry about that!',
      httpStatus: 500,
    },
    'server_error',
  ],
  [
    'Anthropic overloaded',
    { type: 'overloaded_error', message: 'Overloaded', httpStatus: 529 },
    'server_error',
  ],
  [
    'Anthropic prompt too long',
    {
      type: 'invalid_request_error',
      message: 'prompt is too long: 208310 tokens > 200000 maximum',
      httpStatus: 400,
    },
    'context_length',
  ],
  [
    'Anthropic rate limit',
    {
      type: 'rate_limit_error',
      message:
        'This request would exceed the rate limit for your organization of 40,000 input ' +
        'tokens per minute.',
      httpStatus: 429,
    },
    'rate_limit',
  ],
  [
    'Anthropic bad key',
    { type: 'authentication_error', message: 'invalid x-api-key', httpStatus: 401 },
    'auth',
  ],
  [
    'Anthropic permission',
    {
      type: 'permission_error',
      message: 'Your API key does not have permission to use the specified resource.',
      httpStatus: 403,
    },
    'auth',
  ],
  [
    'Anthropic internal error',
    { type: 'api_error', message: 'Internal server error', httpStatus: 500 },
    'server_error',
  ],
  [
    'Anthropic request too large',
    {
      type: 'request_too_large',
      message: 'Request exceeds the maximum size',
      httpStatus: 413,
    },
    'context_length',
  ],
  [
    'Google quota',
    {
      type: 'RESOURCE_EXHAUSTED',
      message: 'Resource has been exhausted (e.g. check quota).',
      httpStatus: 429,
    },
    'rate_limit',
  ],
  [
    'Google bad key, under a generic INVALID_ARGUMENT',
    {
      type: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
      httpStatus: 400,
    },
    'auth',
  ],
  [
    'Google input above the context window',
    {
      type: 'INVALID_ARGUMENT',
      message:
        'The input token count (1245789) exceeds the maximum number of tokens allowed (1048576).',
      httpStatus: 400,
    },
    'context_length',
  ],
  [
    'Google overloaded',
    {
      type: 'UNAVAILABLE',
      message: 'The model is overloaded. Please try again later.',
      httpStatus: 503,
    },
    'server_error',
  ],
  [
    'Google deadline',
    { type: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' },
    'timeout',
  ],
  [
    'Gemini blocked the answer',
    { type: null, message: 'Candidate was blocked due to SAFETY', httpStatus: null },
    'content_filter',
  ],
  [
    'Azure OpenAI content filter',
    {
      type: 'BadRequestError',
      message:
        "The response was filtered due to the prompt triggering Azure OpenAI's content " +
        'management policy. Please modify your prompt and retry. To learn more about our ' +
        'content filtering policies please read our documentation: ' +
        'https://go.microsoft.com/fwlink/?linkid=2198766',
      httpStatus: 400,
    },
    'content_filter',
  ],
  [
    'Azure content filter by code',
    { type: 'content_filter', message: null, httpStatus: 400 },
    'content_filter',
  ],
  [
    'Bedrock throttling',
    { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
    'rate_limit',
  ],
  [
    'Bedrock input too long',
    { type: 'ValidationException', message: 'Input is too long for requested model.' },
    'context_length',
  ],
  [
    'Bedrock access denied',
    {
      type: 'AccessDeniedException',
      message: "You don't have access to the model with the specified model ID.",
    },
    'auth',
  ],
  [
    'Node fetch could not connect',
    { type: 'TypeError', message: 'fetch failed', httpStatus: null },
    'network',
  ],
  [
    'Node connection refused',
    { type: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4380' },
    'network',
  ],
  ['Node socket hang up', { type: 'Error', message: 'socket hang up' }, 'network'],
  [
    'Node DNS failure',
    { type: 'Error', message: 'getaddrinfo ENOTFOUND api.openai.com' },
    'network',
  ],
  [
    'Node connect timeout',
    { type: 'ETIMEDOUT', message: 'connect ETIMEDOUT 104.18.7.192:443' },
    'timeout',
  ],
  [
    'undici headers timeout',
    { type: 'UND_ERR_HEADERS_TIMEOUT', message: 'Headers Timeout Error' },
    'timeout',
  ],
  ['AbortController', { type: 'AbortError', message: 'This operation was aborted' }, 'cancelled'],
  [
    'AbortSignal.timeout',
    { type: 'TimeoutError', message: 'The operation was aborted due to timeout' },
    'timeout',
  ],
  [
    'a timeout message with no type',
    { message: 'The operation was aborted due to timeout' },
    'timeout',
  ],
  [
    'Python requests lost the connection',
    {
      type: 'requests.exceptions.ConnectionError',
      message: "('Connection aborted.', RemoteDisconnected('Remote end closed connection'))",
    },
    'network',
  ],
  ['asyncio cancellation', { type: 'CancelledError', message: '' }, 'cancelled'],
  ['a gateway reply', { type: null, message: '502 Bad Gateway', httpStatus: 502 }, 'server_error'],
  ['a gateway timeout', { message: '504 Gateway Time-out', httpStatus: 504 }, 'timeout'],
]

describe('categoriseError', () => {
  for (const [name, facts, expected] of examples) {
    test(`${name} → ${expected}`, () => {
      expect(categoriseError(facts)).toBe(expected)
    })
  }

  test('a type that is already a category wins over everything else', () => {
    for (const category of ERROR_CATEGORIES) {
      const facts = { type: category, message: 'rate limit exceeded', httpStatus: 500 }
      expect(categoriseError(facts)).toBe(category)
    }
  })

  const statuses: readonly [number, ErrorCategory][] = [
    [429, 'rate_limit'],
    [408, 'timeout'],
    [504, 'timeout'],
    [401, 'auth'],
    [403, 'auth'],
    [413, 'context_length'],
    [400, 'invalid_request'],
    [404, 'invalid_request'],
    [409, 'invalid_request'],
    [422, 'invalid_request'],
    [499, 'cancelled'],
    [500, 'server_error'],
    [502, 'server_error'],
    [503, 'server_error'],
    [529, 'server_error'],
    [418, 'unknown'],
    [302, 'unknown'],
  ]

  for (const [httpStatus, expected] of statuses) {
    test(`HTTP ${httpStatus} alone → ${expected}`, () => {
      expect(categoriseError({ httpStatus })).toBe(expected)
      expect(categoriseError({ type: 'Error', message: 'request failed', httpStatus })).toBe(
        expected,
      )
    })
  }

  test('a bare status code as the type is read as the status', () => {
    expect(categoriseError({ type: '429' })).toBe('rate_limit')
    expect(categoriseError({ type: '503', message: null })).toBe('server_error')
  })

  test('the message beats a generic status', () => {
    const facts = { message: "This model's maximum context length is 8192 tokens", httpStatus: 400 }
    expect(categoriseError(facts)).toBe('context_length')
  })

  test('only the first 500 characters of a message are read', () => {
    const padding = 'x'.repeat(500)
    expect(categoriseError({ message: `rate limit ${padding}` })).toBe('rate_limit')
    expect(categoriseError({ message: `${padding} rate limit` })).toBe('unknown')
  })

  test('nothing known is unknown', () => {
    expect(categoriseError({})).toBe('unknown')
    expect(categoriseError({ type: null, message: null, httpStatus: null })).toBe('unknown')
    expect(categoriseError({ type: 'SomethingOdd', message: 'it broke' })).toBe('unknown')
  })
})
