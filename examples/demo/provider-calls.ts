import type { ErrorCategory } from '../../spec/src/enums.ts'
import { CLIENT_TIMEOUT_MS } from './llm-calls.ts'
import type { WireSpan, WireUsage } from './wire.ts'

// How the fake provider is told to fail the way the plan says (its `x-fake-error` header).
const FORCED_ERRORS: Partial<Record<ErrorCategory, Record<string, string>>> = {
  rate_limit: { 'x-fake-error': '429' },
  server_error: { 'x-fake-error': '500' },
  context_length: { 'x-fake-error': 'context_length' },
  // Held far past the client's own timeout, so the client gives up, as it would in production.
  timeout: { 'x-fake-error': 'timeout', 'x-fake-delay-ms': String(CLIENT_TIMEOUT_MS * 2) },
}

/** The fields of either provider's stream events that the demo reads. */
interface StreamPayload {
  type?: string
  delta?: { type?: string; text?: string; stop_reason?: string | null }
  message?: { usage?: object }
  usage?: object | null
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>
}

interface Measured {
  startTime: number
  endTime: number
  timeToFirstTokenMs: number | null
  usage: WireUsage | null
  finishReason: string | null
  output: string
}

/**
 * Makes the planned LLM call for real against the fake provider and returns the span with
 * what was measured: wall-clock times, time to first token, usage and the actual outcome.
 */
export async function callForReal(
  providerUrl: string,
  planned: WireSpan,
  shutdown: AbortSignal,
): Promise<WireSpan> {
  const anthropic = planned.provider === 'anthropic'
  const messages = planned.input ?? []
  const stream = planned.metadata.stream === true
  const system = messages.find((message) => message.role === 'system')?.content
  const body = anthropic
    ? {
        model: planned.model,
        max_tokens: 1024,
        system,
        messages: messages.filter((m) => m.role !== 'system'),
        stream,
      }
    : {
        model: planned.model,
        messages,
        stream,
        stream_options: stream ? { include_usage: true } : undefined,
      }
  const path = anthropic ? '/v1/messages' : '/v1/chat/completions'
  const forced = planned.error ? (FORCED_ERRORS[planned.error.type] ?? {}) : {}

  const startTime = Date.now()
  const signal = AbortSignal.any([shutdown, AbortSignal.timeout(CLIENT_TIMEOUT_MS)])
  try {
    const response = await fetch(`${providerUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...forced },
      body: JSON.stringify(body),
      signal,
    })
    if (!response.ok) return failed(planned, startTime, await errorOf(response))
    const measured = stream
      ? await readStream(response, startTime, anthropic)
      : readJson(await response.json(), startTime, anthropic)
    return {
      ...planned,
      ...measured,
      status: 'ok',
      error: null,
      output: { role: 'assistant', content: measured.output },
    }
  } catch (error) {
    if (shutdown.aborted) {
      return failed(planned, startTime, { type: 'cancelled', message: 'The demo was stopped.' })
    }
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    const message = timedOut
      ? `Request timed out after ${CLIENT_TIMEOUT_MS} ms.`
      : `Request failed: ${error instanceof Error ? error.message : String(error)}`
    return failed(planned, startTime, { type: timedOut ? 'timeout' : 'network', message })
  }
}

function failed(
  planned: WireSpan,
  startTime: number,
  error: NonNullable<WireSpan['error']>,
): WireSpan {
  return {
    ...planned,
    startTime,
    endTime: Date.now(),
    status: 'error',
    error,
    usage: null,
    timeToFirstTokenMs: null,
    finishReason: null,
    output: null,
  }
}

/** The error category of a provider's HTTP error, as an instrumentation would classify it. */
async function errorOf(response: Response): Promise<NonNullable<WireSpan['error']>> {
  const text = await response.text()
  let message = text.slice(0, 300)
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } }
    message = String(body.error?.message ?? message)
  } catch {
    // Not JSON: the raw text is the message.
  }
  const status = response.status
  const contextLength = /maximum context length|prompt is too long/i.test(message)
  const type: ErrorCategory =
    status === 429
      ? 'rate_limit'
      : status === 401
        ? 'auth'
        : status === 408 || status === 504
          ? 'timeout'
          : status >= 500
            ? 'server_error'
            : contextLength
              ? 'context_length'
              : 'invalid_request'
  return { type, message, httpStatus: status }
}

function readJson(body: unknown, startTime: number, anthropic: boolean): Measured {
  const endTime = Date.now()
  const record = body as Record<string, unknown>
  if (anthropic) {
    const content = (record.content as Array<{ type: string; text?: string }>) ?? []
    return {
      startTime,
      endTime,
      timeToFirstTokenMs: null,
      usage: anthropicUsage(record.usage),
      finishReason: String(record.stop_reason),
      output: content.map((block) => block.text ?? '').join(''),
    }
  }
  const choice = (record.choices as Array<Record<string, unknown>>)[0] ?? {}
  const message = (choice.message as { content?: string | null }) ?? {}
  return {
    startTime,
    endTime,
    timeToFirstTokenMs: null,
    usage: openaiUsage(record.usage),
    finishReason: String(choice.finish_reason),
    output: message.content ?? '',
  }
}

/** Reads an SSE body, noting when the first generated token arrives. */
async function readStream(
  response: Response,
  startTime: number,
  anthropic: boolean,
): Promise<Measured> {
  let firstTokenMs: number | null = null
  let output = ''
  let finishReason: string | null = null
  let usage: WireUsage | null = null
  let startUsage: object = {}

  for await (const data of sseData(response)) {
    if (data === '[DONE]') break
    const event = JSON.parse(data) as StreamPayload
    const choice = event.choices?.[0]
    const text = anthropic
      ? event.delta?.type === 'text_delta'
        ? event.delta.text
        : undefined
      : choice?.delta?.content
    if (text) {
      firstTokenMs ??= Date.now() - startTime
      output += text
    }

    if (anthropic && event.type === 'message_start') startUsage = event.message?.usage ?? {}
    if (anthropic && event.type === 'message_delta') {
      // message_delta repeats the input counts and adds the output count: merge, newest wins.
      finishReason = event.delta?.stop_reason ?? null
      usage = anthropicUsage({ ...startUsage, ...event.usage })
    }
    if (!anthropic && choice?.finish_reason) finishReason = choice.finish_reason
    if (!anthropic && event.usage) usage = openaiUsage(event.usage)
  }
  return {
    startTime,
    endTime: Date.now(),
    timeToFirstTokenMs: firstTokenMs,
    usage,
    finishReason,
    output,
  }
}

async function* sseData(response: Response): AsyncGenerator<string> {
  if (response.body === null) return
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  while (true) {
    const { value, done } = await reader.read()
    if (done) return
    buffered += decoder.decode(value, { stream: true })
    let boundary = buffered.indexOf('\n\n')
    while (boundary >= 0) {
      const block = buffered.slice(0, boundary)
      buffered = buffered.slice(boundary + 2)
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n')
      if (data !== '') yield data
      boundary = buffered.indexOf('\n\n')
    }
  }
}

function openaiUsage(value: unknown): WireUsage | null {
  const usage = value as {
    prompt_tokens?: number
    completion_tokens?: number
    prompt_tokens_details?: { cached_tokens?: number }
    completion_tokens_details?: { reasoning_tokens?: number }
  } | null
  if (!usage) return null
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    cacheReadTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  }
}

/** Anthropic counts cached tokens apart from `input_tokens`; the contract counts them inside. */
function anthropicUsage(value: unknown): WireUsage | null {
  const usage = value as {
    input_tokens?: number
    output_tokens?: number
    cache_read_input_tokens?: number
    cache_creation_input_tokens?: number
  } | null
  if (!usage) return null
  const cacheReadTokens = usage.cache_read_input_tokens ?? 0
  const cacheWriteTokens = usage.cache_creation_input_tokens ?? 0
  return {
    inputTokens: (usage.input_tokens ?? 0) + cacheReadTokens + cacheWriteTokens,
    outputTokens: usage.output_tokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: 0,
  }
}
