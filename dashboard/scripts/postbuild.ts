/**
 * The steps after `vite build` that make the output servable under a strict CSP, and record
 * what it was built from. Usage: bun scripts/postbuild.ts <build dir>
 */
import { join } from 'node:path'
import { DASHBOARD_DIR, writeStamp } from './build-stamp.ts'
import { externalizeBootScript } from './externalize-boot.ts'
import { removeInlineStyles } from './inline-styles.ts'
import { precompress } from './precompress.ts'
import { preloadOverview } from './preload-overview.ts'

const dir = process.argv[2] ?? join(DASHBOARD_DIR, 'build')
externalizeBootScript(dir)
removeInlineStyles(dir)
const preloaded = preloadOverview(dir, DASHBOARD_DIR)
const { files, bytes, gzipBytes } = precompress(dir)
writeStamp()
console.log(
  `postbuild: boot script external, no inline styles, ${preloaded} overview modules ` +
    `preloaded; ${files} files precompressed ` +
    `(${(bytes / 1024).toFixed(0)} KB, ${(gzipBytes / 1024).toFixed(0)} KB gzip)`,
)
