type Cell = string | number | boolean | null | undefined

// Fixed-shape objects spread into one column per field, present even when the object is null,
// so every row of an export has the same columns. User-shaped JSON stays in one cell.
const STRUCTURED: Record<string, readonly string[]> = {
  usage: ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'],
  error: ['type', 'message', 'httpStatus', 'rawType'],
  latencyMs: ['p50', 'p95', 'p99', 'mean', 'max'],
  ttftMs: ['p50', 'p95', 'p99', 'mean', 'max'],
}

/** A row as flat columns (`usage.inputTokens`); arrays and free-form objects as JSON text. */
export function flatten(row: object): Record<string, Cell> {
  const out: Record<string, Cell> = {}
  for (const [key, value] of Object.entries(row)) {
    const fields = STRUCTURED[key]
    if (fields !== undefined) {
      const nested = (value ?? {}) as Record<string, Cell>
      for (const field of fields) out[`${key}.${field}`] = nested[field] ?? null
    } else if (value !== null && typeof value === 'object') {
      out[key] = JSON.stringify(value)
    } else {
      out[key] = value as Cell
    }
  }
  return out
}

/**
 * One CSV line (RFC 4180 quoting). Text that a spreadsheet would run as a formula gets a leading
 * apostrophe: prompts are untrusted, and `=HYPERLINK(…)` in a cell is an attack.
 */
export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell !== 'string') return String(cell)
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}
