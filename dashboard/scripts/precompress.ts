/**
 * Writes .br and .gz next to every text asset of the build, at the highest levels: it costs
 * seconds once per build instead of CPU on every request, and the server (hono's serveStatic
 * with precompressed: true) picks whichever the browser accepts.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/
// Below this, the compressed file plus its headers is no smaller than the original.
const BYTES_MIN = 512

export function precompress(buildDir: string): { files: number; bytes: number; gzipBytes: number } {
  const totals = { files: 0, bytes: 0, gzipBytes: 0 }
  for (const entry of readdirSync(buildDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue
    const path = join(entry.parentPath, entry.name)
    const content = readFileSync(path)
    if (content.length < BYTES_MIN) continue
    const gzip = gzipSync(content, { level: 9 })
    const brotli = brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    })
    writeFileSync(`${path}.gz`, gzip)
    writeFileSync(`${path}.br`, brotli)
    totals.files++
    totals.bytes += content.length
    totals.gzipBytes += gzip.length
  }
  return totals
}

if (import.meta.main) {
  const dir = process.argv[2]
  if (dir === undefined) throw new Error('usage: bun scripts/precompress.ts <build dir>')
  precompress(dir)
}
