import { OTLP_LIMITS } from './limits.ts'

/**
 * What one export did, in OTLP's terms: how many items were not accepted and, when any were or
 * when something is worth a warning, a message naming the first few with their paths. OTLP
 * replies with this as `partialSuccess`; both fields empty means plain success.
 */
export interface ExportResult {
  rejected: number
  errorMessage: string
}

/**
 * The message for `rejected` items with their `errors` (each `path: what`), then `warnings`.
 * The first few are listed and the rest counted, so the reply stays small for any batch size.
 */
export function exportResult(
  rejected: number,
  errors: readonly string[],
  warnings: readonly string[] = [],
): ExportResult {
  const parts: string[] = []
  const list = (items: readonly string[], noun: string) => {
    if (items.length === 0) return
    const shown = items.slice(0, OTLP_LIMITS.errorsListedMax).join('; ')
    const more = items.length - OTLP_LIMITS.errorsListedMax
    parts.push(`${noun}: ${shown}${more > 0 ? `; and ${more} more` : ''}`)
  }
  list(errors, `${rejected} rejected`)
  list(warnings, `${warnings.length} warnings`)
  let errorMessage = parts.join('. ')
  if (errorMessage.length > OTLP_LIMITS.errorMessageLengthMax) {
    errorMessage = `${errorMessage.slice(0, OTLP_LIMITS.errorMessageLengthMax - 1)}…`
  }
  return { rejected, errorMessage }
}
