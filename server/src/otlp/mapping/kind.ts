import type { SpanKind } from '@llmlens/spec'
import type { Attributes } from '../model.ts'
import { text } from './read.ts'

/** OTel GenAI `gen_ai.operation.name` values. Memory operations are plain steps. */
const BY_OPERATION: Record<string, SpanKind> = {
  chat: 'llm',
  generate_content: 'llm',
  text_completion: 'llm',
  completion: 'llm',
  embeddings: 'embedding',
  embedding: 'embedding',
  execute_tool: 'tool',
  retrieval: 'retrieval',
  search_memory: 'retrieval',
  create_agent: 'agent',
  invoke_agent: 'agent',
  plan: 'agent',
  invoke_workflow: 'chain',
}

/** OpenInference `openinference.span.kind`; guardrails, evaluators and prompts are chain steps. */
const BY_OPENINFERENCE: Record<string, SpanKind> = {
  LLM: 'llm',
  EMBEDDING: 'embedding',
  TOOL: 'tool',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  AGENT: 'agent',
  CHAIN: 'chain',
  GUARDRAIL: 'chain',
  EVALUATOR: 'chain',
  PROMPT: 'chain',
}

/** OpenLLMetry `llm.request.type`. */
const BY_REQUEST_TYPE: Record<string, SpanKind> = {
  chat: 'llm',
  completion: 'llm',
  embedding: 'embedding',
  rerank: 'retrieval',
}

/** Traceloop SDK decorators' `traceloop.span.kind`. */
const BY_TRACELOOP: Record<string, SpanKind> = {
  workflow: 'chain',
  task: 'chain',
  agent: 'agent',
  tool: 'tool',
}

/**
 * The Vercel AI SDK's `ai.operationId`. Only the inner `.doGenerate` / `.doStream` / `.doEmbed`
 * spans are the provider calls; the outer `ai.generateText` repeats its calls' model and summed
 * usage, so it is a chain step, or the tokens would be counted twice.
 */
function vercelKind(operationId: string): SpanKind {
  if (operationId.endsWith('.doGenerate') || operationId.endsWith('.doStream')) return 'llm'
  if (operationId.endsWith('.doEmbed')) return 'embedding'
  if (operationId === 'ai.toolCall') return 'tool'
  return 'chain'
}

const own = <T>(table: Record<string, T>, key: string | null): T | undefined =>
  key !== null && Object.hasOwn(table, key) ? table[key] : undefined

/**
 * What a span does, from the first dialect marker it carries. A span with no GenAI marker at all
 * (HTTP, database, a function) is a plain `span` that keeps its place in the trace tree.
 */
export function spanKindOf(attributes: Attributes): SpanKind {
  const operation = text(attributes, 'gen_ai.operation.name')
  const byOperation = own(BY_OPERATION, operation)
  if (byOperation !== undefined) return byOperation

  const openInference = text(attributes, 'openinference.span.kind')?.toUpperCase() ?? null
  const byOpenInference = own(BY_OPENINFERENCE, openInference)
  if (byOpenInference !== undefined) return byOpenInference

  const operationId = text(attributes, 'ai.operationId')
  if (operationId?.startsWith('ai.')) return vercelKind(operationId)

  const byRequestType = own(BY_REQUEST_TYPE, text(attributes, 'llm.request.type'))
  if (byRequestType !== undefined) return byRequestType

  const byTraceloop = own(BY_TRACELOOP, text(attributes, 'traceloop.span.kind'))
  if (byTraceloop !== undefined) return byTraceloop

  // An operation we do not know, or none, on a span that names a model: a model call.
  const model = text(attributes, 'gen_ai.request.model', 'gen_ai.response.model', 'llm.model_name')
  const provider = text(attributes, 'gen_ai.provider.name', 'gen_ai.system')
  if (model !== null || (provider !== null && operation !== null)) return 'llm'
  return 'span'
}

/** Kinds whose spans are calls to a model: only these carry model, usage and cost. */
export function isModelCall(kind: SpanKind): boolean {
  return kind === 'llm' || kind === 'embedding'
}
