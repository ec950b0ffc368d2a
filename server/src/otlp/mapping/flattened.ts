import type { Attributes, OtlpValue } from '../model.ts'

/**
 * Flattened lists, as OpenInference (`llm.input_messages.0.message.role`) and OpenLLMetry
 * (`gen_ai.prompt.0.role`) write them: every attribute under `prefix` whose next segment is an
 * index, grouped by index, in index order, each with the rest of its key.
 *
 * Indices are collected in a map and sorted, never used as array positions: an attribute
 * `gen_ai.prompt.999999999.role` must cost one entry, not a billion-slot array.
 */
export function flattenedList(
  attributes: Attributes,
  prefix: string,
): Map<string, OtlpValue>[] | null {
  const byIndex = new Map<number, Map<string, OtlpValue>>()
  for (const [key, value] of attributes) {
    if (!key.startsWith(prefix)) continue
    const rest = key.slice(prefix.length)
    const dot = rest.indexOf('.')
    const indexText = dot < 0 ? rest : rest.slice(0, dot)
    if (!/^\d{1,9}$/.test(indexText)) continue
    const index = Number(indexText)
    let fields = byIndex.get(index)
    if (fields === undefined) {
      fields = new Map()
      byIndex.set(index, fields)
    }
    fields.set(dot < 0 ? '' : rest.slice(dot + 1), value)
  }
  if (byIndex.size === 0) return null
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, fields]) => fields)
}

/** The entries of `fields` under `prefix` (e.g. `tool_calls.`), as a flattened list of their own. */
export function nestedList(
  fields: Map<string, OtlpValue>,
  prefix: string,
): Map<string, OtlpValue>[] {
  return flattenedList(fields, prefix) ?? []
}
