import { isRecord } from './json.ts'

// Nested schemas deeper than this get an empty object: enough for any real tool definition.
const SCHEMA_DEPTH_MAX = 4

/**
 * Arguments that satisfy a tool's JSON Schema, filled from the prompt so they are stable:
 * strings get the prompt's first words, numbers its word count, enums their first value.
 */
export function argumentsFromSchema(schema: unknown, promptText: string): Record<string, unknown> {
  const value = valueFor(schema, promptText, 0)
  return isRecord(value) ? value : {}
}

function valueFor(schema: unknown, promptText: string, depth: number): unknown {
  if (!isRecord(schema) || depth > SCHEMA_DEPTH_MAX) return {}

  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  if ('const' in schema) return schema.const

  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  const words = promptText.split(/\s+/).filter((word) => word.length > 0)
  switch (type) {
    case 'string':
      return words.slice(0, 3).join(' ') || 'fake'
    case 'integer':
    case 'number':
      return words.length
    case 'boolean':
      return true
    case 'array':
      return [valueFor(schema.items, promptText, depth + 1)]
    case 'null':
      return null
    default:
      return objectFor(schema, promptText, depth)
  }
}

function objectFor(
  schema: Record<string, unknown>,
  promptText: string,
  depth: number,
): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {}
  const result: Record<string, unknown> = {}
  for (const [name, propertySchema] of Object.entries(properties)) {
    result[name] = valueFor(propertySchema, promptText, depth + 1)
  }
  return result
}
