import { ApiError } from './errors.ts'
import type { ToolPolicy, ToolSpec } from './generate.ts'
import { isRecord } from './json.ts'

/**
 * Client tools of an Anthropic request (`{name, input_schema}`). Server tools such as web
 * search carry a versioned `type` and no schema; the fake never calls them, so they are skipped.
 */
export function parseAnthropicTools(value: unknown): ToolSpec[] | ApiError {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value))
    return new ApiError('invalid_request', 'tools: must be an array', 'tools')

  const tools: ToolSpec[] = []
  for (const [index, tool] of value.entries()) {
    if (!isRecord(tool) || !('input_schema' in tool)) continue
    if (typeof tool.name !== 'string' || tool.name === '') {
      const path = `tools.${index}.name`
      return new ApiError('invalid_request', `${path}: Field required`, path)
    }
    tools.push({ name: tool.name, parameters: tool.input_schema })
  }
  return tools
}

/** `tool_choice`: `{type: auto | any | none}` or `{type: tool, name}`. */
export function parseAnthropicToolPolicy(value: unknown): ToolPolicy | ApiError {
  if (value === undefined || value === null) return { mode: 'auto' }
  if (isRecord(value)) {
    if (value.type === 'auto') return { mode: 'auto' }
    if (value.type === 'any') return { mode: 'required' }
    if (value.type === 'none') return { mode: 'none' }
    if (value.type === 'tool' && typeof value.name === 'string') {
      return { mode: 'named', name: value.name }
    }
  }
  const message = 'tool_choice: must be {type: "auto" | "any" | "none"} or {type: "tool", name}'
  return new ApiError('invalid_request', message, 'tool_choice')
}
