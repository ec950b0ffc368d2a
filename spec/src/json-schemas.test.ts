import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { JSON_SCHEMA_FILES, toJsonDocument } from './json-schemas.ts'

describe('spec/schemas', () => {
  for (const [name, schema] of Object.entries(JSON_SCHEMA_FILES)) {
    test(`${name} matches its TypeBox source (run npm run build -w spec after a change)`, () => {
      const onDisk = readFileSync(join(import.meta.dir, '..', 'schemas', name), 'utf8')
      expect(onDisk).toBe(toJsonDocument(schema))
    })
  }
})
