import { LIMITS } from '@llmlens/spec'
import type { Attributes, OtlpScope, OtlpValue } from '../model.ts'
import { CONTENT_KEYS, CONTENT_PREFIXES } from './content.ts'
import { USAGE_KEYS } from './usage.ts'

type MetadataValue = string | number | boolean | null

/**
 * Attributes that became first-class fields of the span. Keeping them in metadata too would only
 * spend its 64 slots twice.
 */
const MAPPED_KEYS = new Set<string>([
  ...Object.values(USAGE_KEYS).flat(),
  'gen_ai.provider.name',
  'gen_ai.system',
  'llm.provider',
  'llm.system',
  'ai.model.provider',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'llm.model_name',
  'llm.request.model_name',
  'llm.response.model_name',
  'ai.model.id',
  'ai.response.model',
  'embedding.model_name',
  'gen_ai.conversation.id',
  'session.id',
  'user.id',
  'enduser.id',
  'tag.tags',
  'llmlens.tags',
  'llmlens.endpoint',
  'llm.cost.total',
  'gen_ai.response.time_to_first_chunk',
  'ai.response.msToFirstChunk',
  'ai.stream.msToFirstChunk',
  'gen_ai.response.finish_reasons',
  'llm.finish_reason',
  'ai.response.finishReason',
  'error.type',
])

const SPAN_KIND_NAMES = ['', 'internal', 'server', 'client', 'producer', 'consumer']

function clip(value: string): string {
  return value.length > LIMITS.metadataValueLengthMax
    ? value.slice(0, LIMITS.metadataValueLengthMax)
    : value
}

function scalar(value: OtlpValue): MetadataValue | undefined {
  if (typeof value === 'string') return clip(value)
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'boolean') return value
  // Arrays of scalars (stop sequences, finish reasons) stay readable as JSON text; structured
  // values are content or too nested to filter on.
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return clip(JSON.stringify(value))
  }
  return undefined
}

function isContent(key: string): boolean {
  return CONTENT_KEYS.has(key) || CONTENT_PREFIXES.some((prefix) => key.startsWith(prefix))
}

/**
 * The span's remaining scalar attributes as flat metadata, so HTTP routes, database systems and
 * request parameters stay filterable. The scope name and the OTel span kind come first; past the
 * contract's 64 keys the rest are dropped. Keys are own properties of a prototype-less object,
 * so `__proto__` is stored as a key like any other.
 */
export function metadataOf(
  attributes: Attributes,
  scope: OtlpScope,
  otelKind: number,
): Record<string, MetadataValue> {
  const metadata: Record<string, MetadataValue> = Object.create(null)
  let size = 0
  const put = (key: string, value: MetadataValue) => {
    if (size >= LIMITS.metadataKeysMax || key.length > LIMITS.metadataKeyLengthMax) return
    if (!Object.hasOwn(metadata, key)) size++
    metadata[key] = value
  }

  if (scope.name !== '') put('otel.scope.name', clip(scope.name))
  const kindName = SPAN_KIND_NAMES[otelKind]
  if (kindName) put('otel.span.kind', kindName)
  for (const [key, value] of attributes) {
    if (size >= LIMITS.metadataKeysMax) break
    if (MAPPED_KEYS.has(key) || isContent(key)) continue
    const kept = scalar(value)
    if (kept !== undefined) put(key, kept)
  }
  return metadata
}
