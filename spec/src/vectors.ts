import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StoredScore, StoredSpan } from './api.ts'

/** One ingest case from spec/vectors/ingest/: see spec/vectors/README.md. */
export interface IngestVector {
  name: string
  description: string
  request: { body?: unknown; bodyText?: string }
  response: { status: number; body: unknown }
  stored: { spans: StoredSpan[]; scores: StoredScore[] }
}

export const VECTORS_DIR = join(import.meta.dir, '..', 'vectors')

export function loadIngestVectors(): IngestVector[] {
  const dir = join(VECTORS_DIR, 'ingest')
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as IngestVector)
}
