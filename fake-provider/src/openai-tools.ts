import { ApiError } from './errors.ts'
import type { ToolPolicy, ToolSpec } from './generate.ts'
import { isRecord } from './json.ts'
import { hashString } from './random.ts'

/**
 * Function tools of a request. Chat nests them (`{type, function: {name, parameters}}`), the
 * Responses API does not (`{type, name, parameters}`); built-in tools such as web search are
 * skipped because the fake never calls them.
 */
export function parseFunctionTools(value: unknown, nested: boolean): ToolSpec[] | ApiError {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value))
    return new ApiError('invalid_request', 'tools: must be an array', 'tools')

  const tools: ToolSpec[] = []
  for (const [index, tool] of value.entries()) {
    if (!isRecord(tool) || tool.type !== 'function') continue
    const definition = nested ? tool.function : tool
    const path = nested ? `tools[${index}].function.name` : `tools[${index}].name`
    if (!isRecord(definition) || typeof definition.name !== 'string' || definition.name === '') {
      return new ApiError('invalid_request', `${path}: a non-empty string is required`, path)
    }
    tools.push({ name: definition.name, parameters: definition.parameters })
  }
  return tools
}

/** `tool_choice` of either OpenAI API: a mode string, or an object naming one function. */
export function parseToolPolicy(value: unknown): ToolPolicy | ApiError {
  if (value === undefined || value === null || value === 'auto') return { mode: 'auto' }
  if (value === 'none' || value === 'required') return { mode: value }
  if (isRecord(value)) {
    const name = isRecord(value.function) ? value.function.name : value.name
    if (typeof name === 'string' && name !== '') return { mode: 'named', name }
  }
  const message = 'tool_choice: must be "auto", "none", "required" or name a function'
  return new ApiError('invalid_request', message, 'tool_choice')
}

/** A stable `system_fingerprint` per model, shaped like OpenAI's. */
export function systemFingerprint(model: string): string {
  return `fp_${hashString(model).toString(16).padStart(8, '0')}`
}
