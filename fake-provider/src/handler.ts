import { anthropicMessages } from './anthropic-messages.ts'
import { type RequestControls, readControls } from './controls.ts'
import type { Endpoint, ParsedCall } from './endpoint.ts'
import { contextLengthMessage, errorResponse, injectedErrorMessage } from './error-responses.ts'
import { ApiError, drawError, type FakeErrorKind } from './errors.ts'
import { readJsonBody } from './json.ts'
import { type LatencyPlan, planLatency, sleepMs, spikeMultiplier } from './latency.ts'
import { modelsResponse } from './models-list.ts'
import { openaiChat } from './openai-chat.ts'
import { openaiEmbeddings } from './openai-embeddings.ts'
import { openaiResponses } from './openai-responses.ts'
import type { ProviderApi, ResolvedModel, ResolvedOptions } from './options.ts'
import { cacheOutcome, PromptCache } from './prompt-cache.ts'
import { createRandom, hashString, type Random, randomHex, randomString } from './random.ts'
import { resolveModel } from './resolve.ts'
import { sseResponse } from './sse.ts'

export type FetchHandler = (request: Request) => Promise<Response>

const POST_ROUTES: Record<string, Endpoint<ParsedCall>> = {
  '/v1/chat/completions': openaiChat,
  '/v1/responses': openaiResponses,
  '/v1/embeddings': openaiEmbeddings,
  '/v1/messages': anthropicMessages,
}

/** What an injected error needs to know about the call it replaces. */
interface FailingCall {
  api: ProviderApi
  model: ResolvedModel
  call: ParsedCall
  plan: LatencyPlan
  controls: RequestControls
}

/** Draws of one model, split so latency draws never shift which calls fail. */
interface ModelRandoms {
  errors: Random
  latency: Random
}

/** The fetch handler: routes, per-request controls, injected errors, latency and replies. */
export function createHandler(options: ResolvedOptions): FetchHandler {
  const promptCache = new PromptCache()
  const idRandom = createRandom(hashString(`ids:${options.seed}`))
  const modelRandoms = new Map<string, ModelRandoms>()

  function randomsFor(model: string): ModelRandoms {
    let randoms = modelRandoms.get(model)
    if (randoms === undefined) {
      randoms = {
        errors: createRandom(hashString(`errors:${options.seed}:${model}`)),
        latency: createRandom(hashString(`latency:${options.seed}:${model}`)),
      }
      modelRandoms.set(model, randoms)
    }
    return randoms
  }

  function requestId(api: ProviderApi): string {
    return api === 'openai' ? `req_${randomHex(idRandom, 32)}` : `req_${randomString(idRandom, 24)}`
  }

  function authorized(request: Request): boolean {
    if (options.apiKeys === null) return true
    const bearer = request.headers.get('authorization')?.replace(/^Bearer\s+/i, '')
    const key = request.headers.get('x-api-key') ?? bearer
    return key !== undefined && options.apiKeys.has(key)
  }

  async function runCall(endpoint: Endpoint<ParsedCall>, request: Request): Promise<Response> {
    const api = endpoint.api
    const id = requestId(api)
    const fail = (error: ApiError) =>
      errorResponse(error, { api, requestId: id, retryAfterMs: options.retryAfterMs })

    if (!authorized(request)) {
      return fail(new ApiError('auth', injectedErrorMessage(api, 'auth', '', 0)))
    }
    const controls = readControls(request.headers)
    if (controls instanceof ApiError) return fail(controls)
    const body = await readJsonBody(request)
    if (body instanceof ApiError) return fail(body)
    const call = endpoint.parse(body)
    if (call instanceof ApiError) return fail(call)

    const model = resolveModel(options, call.model)
    const randoms = randomsFor(model.name)
    const drawnError = drawError(randoms.errors, model.errorRate, model.errorMix)
    const multiplier = spikeMultiplier(options.spikes, model.name, options.now(), randoms.latency)
    const plan = planLatency(model, randoms.latency, multiplier, controls.latency)

    const injected = controls.forcedError ?? drawnError
    if (injected !== null) {
      const failing = { api, model, call, plan, controls }
      return fail(await injectError(injected, failing, request.signal))
    }
    if (call.contextTokens > model.contextWindowTokens) {
      const message = contextLengthMessage(api, call.contextTokens, model.contextWindowTokens)
      return fail(new ApiError('context_length', message, 'messages'))
    }

    const cache = cacheOutcome(
      promptCache,
      call.cachePrefix,
      call.promptTokens,
      endpoint.cacheGranularityTokens,
      controls.cachedTokens,
    )
    const reply = endpoint.reply(call, {
      model,
      plan,
      random: idRandom,
      createdSec: Math.floor(options.now() / 1000),
      cache,
      embeddingDimensions: options.embeddingDimensions,
    })
    const headers = successHeaders(api, id, plan)
    if (reply.kind === 'stream') return sseResponse(reply.events, plan, request.signal, headers)
    await sleepMs(plan.totalMs, request.signal)
    return Response.json(reply.body, { headers })
  }

  async function injectError(
    kind: FakeErrorKind,
    failing: FailingCall,
    signal: AbortSignal,
  ): Promise<ApiError> {
    const { api, model } = failing
    if (kind === 'timeout') {
      const holdMs = failing.controls.holdMs ?? options.timeoutHoldMs
      await sleepMs(holdMs, signal)
      return new ApiError('timeout', injectedErrorMessage(api, 'timeout', model.name, holdMs))
    }

    // Refusals come back about as fast as a first token would.
    await sleepMs(failing.plan.ttftMs, signal)
    if (kind === 'context_length') {
      // A forced refusal reports a prompt one window too large, so the numbers still add up.
      const promptTokens = model.contextWindowTokens + failing.call.contextTokens
      const message = contextLengthMessage(api, promptTokens, model.contextWindowTokens)
      return new ApiError('context_length', message, 'messages')
    }
    return new ApiError(kind, injectedErrorMessage(api, kind, model.name, 0))
  }

  return async function handleFakeRequest(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname.replace(/\/+$/, '')
    if (request.method === 'GET' && path === '/healthz') {
      return new Response('ok', { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const api = request.headers.has('anthropic-version') ? 'anthropic' : 'openai'
      return modelsResponse(options.models.values(), api)
    }
    const endpoint = POST_ROUTES[path]
    if (request.method === 'POST' && endpoint !== undefined) return runCall(endpoint, request)

    const api = request.headers.has('anthropic-version') ? 'anthropic' : 'openai'
    const message =
      api === 'openai'
        ? `Invalid URL (${request.method} ${path})`
        : `Not found: ${request.method} ${path}`
    return errorResponse(new ApiError('not_found', message), {
      api,
      requestId: requestId(api),
      retryAfterMs: options.retryAfterMs,
    })
  }
}

function successHeaders(api: ProviderApi, requestId: string, plan: LatencyPlan): Headers {
  const headers = new Headers({ 'content-type': 'application/json' })
  if (api === 'openai') {
    headers.set('x-request-id', requestId)
    headers.set('openai-processing-ms', String(Math.round(plan.totalMs)))
  } else {
    headers.set('request-id', requestId)
  }
  return headers
}
