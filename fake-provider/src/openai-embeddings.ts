import type { CallContext, Endpoint, ParsedCall, Reply } from './endpoint.ts'
import { ApiError } from './errors.ts'
import { countTokens } from './generate.ts'
import { type JsonRecord, optionalPositiveInteger, requireString } from './json.ts'
import { hashString } from './random.ts'

interface EmbeddingsCall extends ParsedCall {
  /** Each input as text; token-id inputs are joined into a string so they embed stably too. */
  texts: string[]
  dimensions: number | null
  encoding: 'float' | 'base64'
}

/** `POST /v1/embeddings`. */
export const openaiEmbeddings: Endpoint<EmbeddingsCall> = {
  api: 'openai',
  cacheGranularityTokens: 128,
  parse: parseEmbeddings,
  reply: replyEmbeddings,
}

function parseEmbeddings(body: JsonRecord): EmbeddingsCall | ApiError {
  const model = requireString(body, 'model')
  if (model instanceof ApiError) return model
  const inputs = readInputs(body.input)
  if (inputs === null) {
    const message =
      'input: a string, an array of strings, an array of token ids or an array of such arrays ' +
      'is required, and none may be empty'
    return new ApiError('invalid_request', message, 'input')
  }
  const dimensions = optionalPositiveInteger(body, 'dimensions')
  if (dimensions instanceof ApiError) return dimensions
  const encoding = body.encoding_format ?? 'float'
  if (encoding !== 'float' && encoding !== 'base64') {
    const actual = JSON.stringify(encoding)
    const message = `encoding_format: must be "float" or "base64" (actual: ${actual})`
    return new ApiError('invalid_request', message, 'encoding_format')
  }

  const tokens = inputs.map((input) => input.tokens)
  return {
    model,
    stream: false,
    promptTokens: tokens.reduce((total, count) => total + count, 0),
    contextTokens: Math.max(...tokens),
    cachePrefix: null,
    texts: inputs.map((input) => input.text),
    dimensions,
    encoding,
  }
}

function readInputs(input: unknown): Array<{ text: string; tokens: number }> | null {
  if (typeof input === 'string')
    return input === '' ? null : [{ text: input, tokens: countTokens(input) }]
  if (!Array.isArray(input) || input.length === 0) return null
  if (input.every((item) => typeof item === 'number')) {
    return [{ text: input.join(' '), tokens: input.length }]
  }

  const inputs: Array<{ text: string; tokens: number }> = []
  for (const item of input) {
    if (typeof item === 'string' && item !== '') {
      inputs.push({ text: item, tokens: countTokens(item) })
    } else if (
      Array.isArray(item) &&
      item.length > 0 &&
      item.every((id) => typeof id === 'number')
    ) {
      inputs.push({ text: item.join(' '), tokens: item.length })
    } else {
      return null
    }
  }
  return inputs
}

function replyEmbeddings(call: EmbeddingsCall, context: CallContext): Reply {
  const dimensions = call.dimensions ?? context.embeddingDimensions
  const data = call.texts.map((text, index) => {
    const vector = embedText(text, dimensions)
    const embedding = call.encoding === 'base64' ? float32Base64(vector) : vector
    return { object: 'embedding', index, embedding }
  })
  const usage = { prompt_tokens: call.promptTokens, total_tokens: call.promptTokens }
  return { kind: 'json', body: { object: 'list', data, model: context.model.respondAs, usage } }
}

/**
 * A unit-length vector fixed by the text alone, so equal inputs embed equally across runs.
 * Like OpenAI's embeddings it is normalised, so a dot product is a cosine similarity.
 */
export function embedText(text: string, dimensions: number): number[] {
  const raw = Array.from({ length: dimensions }, (_, index) => {
    return (hashString(`${index}:${text}`) / 0xffffffff) * 2 - 1
  })
  const norm = Math.sqrt(raw.reduce((total, value) => total + value * value, 0)) || 1
  return raw.map((value) => value / norm)
}

/** Little-endian float32 bytes in base64: what the SDKs ask for and decode by default. */
export function float32Base64(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
