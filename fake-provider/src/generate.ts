import { hashString } from './random.ts'
import { argumentsFromSchema } from './tool-arguments.ts'

// The prompt words echoed back; a cap keeps replies to huge prompts short.
const REPLY_WORDS_MAX = 48
// Reasoning models think in steps of 64 tokens here: 64..512, fixed per prompt.
const REASONING_STEP_TOKENS = 64
const REASONING_STEPS_MAX = 8

/** A tool the request offers, reduced to what the fake needs. */
export interface ToolSpec {
  name: string
  parameters: unknown
}

/** `auto` may call a tool, `required` must, `none` must not, a name forces that tool. */
export type ToolPolicy = { mode: 'auto' | 'required' | 'none' } | { mode: 'named'; name: string }

export interface GenerationRequest {
  /** The text of the final user turn, the only part the fake reads. */
  promptText: string
  /** `tool` when the conversation ends with a tool result, so an agent loop can finish. */
  lastTurn: 'user' | 'tool' | 'other'
  tools: ToolSpec[]
  toolPolicy: ToolPolicy
  /** Cap on output tokens (reasoning included), or null for no cap. */
  outputTokensMax: number | null
  reasoning: boolean
}

export interface Generation {
  text: string
  toolCall: { name: string; argumentsJson: string } | null
  /** Visible plus reasoning tokens, as both APIs count them. */
  outputTokens: number
  reasoningTokens: number
  /** True when the output cap cut the text short. */
  truncated: boolean
}

/**
 * Token count of text, about four characters a token as in English with OpenAI's tokenizers.
 * Exact counts do not matter; a stable, plausible number does.
 */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/** The deterministic answer to a prompt: the prompt echoed back, at most 48 words of it. */
export function replyText(promptText: string): string {
  const words = promptText.split(/\s+/).filter((word) => word.length > 0)
  if (words.length === 0) return 'Fake reply.'
  return `Fake reply: ${words.slice(0, REPLY_WORDS_MAX).join(' ')}`
}

/** Reasoning tokens a reasoning model spends on a prompt: a fixed multiple of 64 per prompt. */
export function reasoningTokensFor(promptText: string): number {
  return REASONING_STEP_TOKENS * (1 + (hashString(promptText) % REASONING_STEPS_MAX))
}

/** Splits text into stream chunks of one word each, keeping the spaces, so joins are exact. */
export function textChunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? []
}

/** Splits a JSON string into chunks of a few characters, as partial tool arguments arrive. */
export function jsonChunks(json: string, chunkChars = 12): string[] {
  const chunks: string[] = []
  for (let index = 0; index < json.length; index += chunkChars) {
    chunks.push(json.slice(index, index + chunkChars))
  }
  return chunks
}

/** Decides the whole answer to a chat request: text or tool call, and its token counts. */
export function generate(request: GenerationRequest): Generation {
  const reasoningTokens = request.reasoning ? reasoningTokensFor(request.promptText) : 0
  const visibleTokensMax =
    request.outputTokensMax === null ? null : Math.max(0, request.outputTokensMax - reasoningTokens)

  const tool = chooseTool(request)
  if (tool !== null) {
    const argumentsJson = JSON.stringify(argumentsFromSchema(tool.parameters, request.promptText))
    const outputTokens = countTokens(tool.name) + countTokens(argumentsJson) + reasoningTokens
    return {
      text: '',
      toolCall: { name: tool.name, argumentsJson },
      outputTokens,
      reasoningTokens,
      truncated: false,
    }
  }

  const fullText = replyText(request.promptText)
  const text = visibleTokensMax === null ? fullText : truncateToTokens(fullText, visibleTokensMax)
  return {
    text,
    toolCall: null,
    outputTokens: countTokens(text) + reasoningTokens,
    reasoningTokens,
    truncated: text.length < fullText.length,
  }
}

/**
 * A tool is called when one is forced, or when tools are offered and the user's last turn
 * mentions the word "tool". After a tool result the model answers in text, ending agent loops.
 */
function chooseTool(request: GenerationRequest): ToolSpec | null {
  const { tools, toolPolicy } = request
  if (tools.length === 0 || toolPolicy.mode === 'none') return null
  if (toolPolicy.mode === 'named')
    return tools.find((tool) => tool.name === toolPolicy.name) ?? null

  const mentionsTool = request.lastTurn === 'user' && /\btools?\b/i.test(request.promptText)
  if (toolPolicy.mode === 'auto' && !mentionsTool) return null

  const promptLower = request.promptText.toLowerCase()
  return tools.find((tool) => promptLower.includes(tool.name.toLowerCase())) ?? tools[0] ?? null
}

function truncateToTokens(text: string, tokensMax: number): string {
  let kept = ''
  for (const chunk of textChunks(text)) {
    if (countTokens(kept + chunk) > tokensMax) break
    kept += chunk
  }
  return kept.trimEnd()
}
