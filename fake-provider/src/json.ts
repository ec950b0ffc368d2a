import { ApiError } from './errors.ts'

export type JsonRecord = Record<string, unknown>

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The request body as a JSON object, or the 400 both APIs answer to anything else. */
export async function readJsonBody(request: Request): Promise<JsonRecord | ApiError> {
  const text = await request.text()
  try {
    const body: unknown = JSON.parse(text)
    if (isRecord(body)) return body
  } catch {
    // Falls through to the same answer as valid JSON that is not an object.
  }
  return new ApiError('invalid_request', 'The request body must be a JSON object.')
}

/**
 * The text of a message's content in either API: a string, or an array of parts whose
 * `text` fields (text, input_text, output_text blocks) are joined.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join('\n')
}

/** A required non-empty string field, or the error naming it. */
export function requireString(body: JsonRecord, field: string): string | ApiError {
  const value = body[field]
  if (typeof value === 'string' && value.length > 0) return value
  return new ApiError('invalid_request', `${field}: a non-empty string is required`, field)
}

/** An optional positive integer field: null when absent, an error when malformed. */
export function optionalPositiveInteger(body: JsonRecord, field: string): number | null | ApiError {
  const value = body[field]
  if (value === undefined || value === null) return null
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  const actual = JSON.stringify(value)
  return new ApiError(
    'invalid_request',
    `${field}: must be an integer >= 1 (actual: ${actual})`,
    field,
  )
}
