// Writes spec/schemas/*.json from the TypeBox definitions, the one source of the wire contract.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { JSON_SCHEMA_FILES, toJsonDocument } from '../src/json-schemas.ts'

const dir = join(import.meta.dir, '..', 'schemas')
for (const [name, schema] of Object.entries(JSON_SCHEMA_FILES)) {
  writeFileSync(join(dir, name), toJsonDocument(schema))
}
console.log(`wrote ${Object.keys(JSON_SCHEMA_FILES).length} schemas to ${dir}`)
