import { anthropicMessages } from './anthropic-messages.ts'
import type { CallShape } from './call-shape.ts'
import { openaiChat } from './openai-chat.ts'
import { openaiEmbeddings } from './openai-embeddings.ts'
import { openaiResponses } from './openai-responses.ts'

/**
 * What the proxy does with a method, by its path from the client:
 * - `call`: a model call, recorded as one span;
 * - `helper`: a convenience method (`stream`, `parse`, `runTools`) that makes its requests
 *   through `create`; it runs with the observed resource as `this`, so those requests are
 *   recorded once each, by `create`;
 * - `client`: returns a new client (`withOptions`), which is observed in turn.
 */
export type MethodRole =
  | { role: 'call'; shape: CallShape }
  | { role: 'helper' }
  | { role: 'client' }

export interface MethodTable {
  provider: string
  /** Objects on the way to a known method, which get a proxy of their own. */
  resources: ReadonlySet<string>
  methods: Readonly<Record<string, MethodRole>>
}

const call = (shape: CallShape): MethodRole => ({ role: 'call', shape })
const helper: MethodRole = { role: 'helper' }
const client: MethodRole = { role: 'client' }

export const OPENAI_METHODS: MethodTable = {
  provider: 'openai',
  resources: new Set(['chat', 'chat.completions', 'responses', 'embeddings']),
  methods: {
    'chat.completions.create': call(openaiChat),
    'chat.completions.parse': helper,
    'chat.completions.stream': helper,
    'chat.completions.runTools': helper,
    'responses.create': call(openaiResponses),
    'responses.parse': helper,
    'responses.stream': helper,
    'embeddings.create': call(openaiEmbeddings),
    withOptions: client,
  },
}

export const ANTHROPIC_METHODS: MethodTable = {
  provider: 'anthropic',
  resources: new Set(['messages', 'beta', 'beta.messages']),
  methods: {
    'messages.create': call(anthropicMessages),
    'messages.stream': helper,
    'messages.parse': helper,
    'beta.messages.create': call(anthropicMessages),
    'beta.messages.stream': helper,
    'beta.messages.parse': helper,
    'beta.messages.toolRunner': helper,
    withOptions: client,
  },
}

/**
 * Which table fits a client, judged by its shape rather than its class so that the SDK imports
 * neither client: OpenAI's has `chat`, Anthropic's has `messages` and no `chat`.
 */
export function methodTableFor(client: object): MethodTable | null {
  const shape = client as { chat?: unknown; messages?: unknown }
  if (typeof shape.chat === 'object' && shape.chat !== null) return OPENAI_METHODS
  if (typeof shape.messages === 'object' && shape.messages !== null) return ANTHROPIC_METHODS
  return null
}
