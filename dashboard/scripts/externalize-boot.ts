/**
 * Moves SvelteKit's inline boot script out of the built index.html into a file of its own, so
 * the server can send `script-src 'self'` with no hash and no 'unsafe-inline'. The moved script
 * stays a classic script: it reads document.currentScript, which module scripts do not have.
 *
 * Usage: bun scripts/externalize-boot.ts <build dir> (postbuild.ts runs it as one step)
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g

export function externalizeBoot(html: string): { html: string; scripts: string[] } {
  const scripts: string[] = []
  const out = html.replace(INLINE_SCRIPT, (_whole, body: string) => {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
    scripts.push(body)
    return `<script src="/_app/immutable/boot-${hash}.js"></script>`
  })
  return { html: out, scripts }
}

export function externalizeBootScript(buildDir: string): void {
  const indexPath = join(buildDir, 'index.html')
  const { html, scripts } = externalizeBoot(readFileSync(indexPath, 'utf8'))
  if (scripts.length !== 1) {
    throw new Error(`expected one inline boot script in ${indexPath}, found ${scripts.length}`)
  }
  if (/<script(?![^>]*\ssrc=)[^>]*>/.test(html) || /\son[a-z]+=/i.test(html)) {
    throw new Error(`${indexPath} still has inline script after externalizing the boot script`)
  }
  for (const body of scripts) {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
    writeFileSync(join(buildDir, '_app/immutable', `boot-${hash}.js`), `${body.trim()}\n`)
  }
  writeFileSync(indexPath, html)
}

if (import.meta.main) {
  const dir = process.argv[2]
  if (dir === undefined) throw new Error('usage: bun scripts/externalize-boot.ts <build dir>')
  externalizeBootScript(dir)
}
