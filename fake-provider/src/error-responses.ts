import type { ApiError, ApiErrorKind } from './errors.ts'
import type { ProviderApi } from './options.ts'

interface OpenAiShape {
  status: number
  type: string
  code: string | null
}

// Types and codes as the OpenAI API sends them; 503 is its answer when a model is overloaded.
const OPENAI_SHAPES: Record<ApiErrorKind, OpenAiShape> = {
  rate_limit: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  server_error: { status: 500, type: 'server_error', code: null },
  auth: { status: 401, type: 'invalid_request_error', code: 'invalid_api_key' },
  context_length: { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' },
  timeout: { status: 504, type: 'server_error', code: 'timeout' },
  overloaded: { status: 503, type: 'server_error', code: null },
  invalid_request: { status: 400, type: 'invalid_request_error', code: null },
  not_found: { status: 404, type: 'invalid_request_error', code: 'unknown_url' },
}

// Anthropic's documented error types; 529 is its own status for an overloaded API.
const ANTHROPIC_SHAPES: Record<ApiErrorKind, { status: number; type: string }> = {
  rate_limit: { status: 429, type: 'rate_limit_error' },
  server_error: { status: 500, type: 'api_error' },
  auth: { status: 401, type: 'authentication_error' },
  context_length: { status: 400, type: 'invalid_request_error' },
  timeout: { status: 504, type: 'timeout_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'not_found_error' },
}

export interface ErrorReplyContext {
  api: ProviderApi
  requestId: string
  retryAfterMs: number
}

/** The HTTP status each API uses for an error kind. */
export function errorStatus(api: ProviderApi, kind: ApiErrorKind): number {
  return api === 'openai' ? OPENAI_SHAPES[kind].status : ANTHROPIC_SHAPES[kind].status
}

/** An error answered exactly in the body shape, status and headers of the given API. */
export function errorResponse(error: ApiError, context: ErrorReplyContext): Response {
  const headers = new Headers({ 'content-type': 'application/json' })
  if (error.kind === 'rate_limit') {
    headers.set('retry-after', String(Math.ceil(context.retryAfterMs / 1000)))
    headers.set('retry-after-ms', String(context.retryAfterMs))
  }

  if (context.api === 'openai') {
    const shape = OPENAI_SHAPES[error.kind]
    headers.set('x-request-id', context.requestId)
    const body = {
      error: {
        message: error.message,
        type: shape.type,
        param: error.param ?? null,
        code: shape.code,
      },
    }
    return Response.json(body, { status: shape.status, headers })
  }

  const shape = ANTHROPIC_SHAPES[error.kind]
  headers.set('request-id', context.requestId)
  const body = {
    type: 'error',
    error: { type: shape.type, message: error.message },
    request_id: context.requestId,
  }
  return Response.json(body, { status: shape.status, headers })
}

type InjectedMessageKind = Exclude<ApiErrorKind, 'context_length' | 'invalid_request' | 'not_found'>

/** The message each API writes for an injected error, close to the real wording. */
export function injectedErrorMessage(
  api: ProviderApi,
  kind: InjectedMessageKind,
  model: string,
  holdMs: number,
): string {
  const messages: Record<InjectedMessageKind, [openai: string, anthropic: string]> = {
    rate_limit: [
      `Rate limit reached for ${model} on requests per min (RPM). Please try again later.`,
      'This request would exceed the rate limit for your organization. Please try again later.',
    ],
    server_error: [
      'The server had an error while processing your request. Sorry about that!',
      'Internal server error',
    ],
    auth: ['Incorrect API key provided.', 'invalid x-api-key'],
    timeout: [`Request timed out after ${holdMs} ms.`, `Request timed out after ${holdMs} ms.`],
    overloaded: ['The server is overloaded or not ready yet.', 'Overloaded'],
  }
  const [openaiMessage, anthropicMessage] = messages[kind]
  return api === 'openai' ? openaiMessage : anthropicMessage
}

/** The context-length message of each API, with the numbers that make it recognisable. */
export function contextLengthMessage(
  api: ProviderApi,
  promptTokens: number,
  windowTokens: number,
): string {
  if (api === 'openai') {
    return (
      `This model's maximum context length is ${windowTokens} tokens. However, your messages ` +
      `resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
    )
  }
  return `prompt is too long: ${promptTokens} tokens > ${windowTokens} maximum`
}
