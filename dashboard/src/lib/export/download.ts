import type { Filters } from '../state/view-query.ts'
import { apiParams } from '../state/view-query.ts'

export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
export const EXPORT_KINDS = ['spans', 'scores', 'metrics'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]

export interface ExportChoice {
  kind: ExportKind
  format: ExportFormat
  /** Prompts and completions, for spans. */
  content: boolean
}

/**
 * The export URL of a filter. The export's `kind` parameter names what to export, so a
 * span-kind filter cannot be passed along; the page says so when one is set.
 */
export function exportUrl(
  filters: Filters,
  window: { fromMs: number; toMs: number; stepMs: number },
  choice: ExportChoice,
): string {
  const { kind: _spanKinds, ...rest } = filters
  const params = apiParams(rest, window)
  params.set('format', choice.format)
  params.set('kind', choice.kind)
  if (choice.kind === 'spans') params.set('content', String(choice.content))
  if (choice.kind === 'metrics') params.set('stepMs', String(window.stepMs))
  return `/api/v1/export?${params}`
}

/** The file name the server suggests, reduced to characters safe in any file system. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]*)"/.exec(disposition ?? '')
  const name = (match?.[1] ?? '').replace(/[^\w.-]/g, '_').replace(/^\.+/, '')
  return name === '' ? fallback : name
}

/** Rows in a chunk of an export: every format the server writes puts one row on each line. */
export function countLines(chunk: Uint8Array): number {
  let lines = 0
  for (const byte of chunk) if (byte === 10) lines++
  return lines
}

/**
 * Rows in an export from its line count so far: CSV has a header line; JSON opens with `[`
 * and closes with `]`, each on a line of its own.
 */
export function rowsFromLines(lines: number, format: ExportFormat): number {
  if (format === 'csv') return Math.max(0, lines - 1)
  if (format === 'json') return Math.max(0, lines - 2)
  return lines
}
