/**
 * Removes the one inline style attribute SvelteKit's generated root component carries (the
 * screen-reader route announcer's), so the server can send `style-src 'self'` without
 * 'unsafe-inline'. The same rule lives in src/app.css under #svelte-announcer. Any other inline
 * style attribute in the built JavaScript fails the build: under the CSP it would be blocked.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ANNOUNCER_STYLE =
  ' style="position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); ' +
  'overflow: hidden; white-space: nowrap; width: 1px; height: 1px"'
// A style attribute in a template string: `<tag ... style="...">`, which Svelte parses as HTML.
const STYLE_ATTRIBUTE = /<[a-z][^<>]*\sstyle=["'][^<>]*>/i

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name))
}

export function removeInlineStyles(buildDir: string): void {
  let announcers = 0
  for (const file of jsFiles(join(buildDir, '_app', 'immutable'))) {
    const code = readFileSync(file, 'utf8')
    const stripped = code.split(ANNOUNCER_STYLE).join('')
    announcers += (code.length - stripped.length) / ANNOUNCER_STYLE.length
    const left = STYLE_ATTRIBUTE.exec(stripped)
    if (left !== null) {
      throw new Error(`${file} has an inline style attribute the CSP would block: ${left[0]}`)
    }
    if (stripped !== code) writeFileSync(file, stripped)
  }
  if (announcers !== 1) {
    throw new Error(
      `expected SvelteKit's route announcer style once in the build, found it ${announcers} ` +
        'times; if SvelteKit changed it, update ANNOUNCER_STYLE and #svelte-announcer in app.css',
    )
  }
}

if (import.meta.main) {
  const dir = process.argv[2]
  if (dir === undefined) throw new Error('usage: bun scripts/inline-styles.ts <build dir>')
  removeInlineStyles(dir)
}
