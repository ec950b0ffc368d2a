/**
 * Adds <link rel="modulepreload"> to the built index.html for the overview page's code. The
 * SPA's index.html preloads only the layout, so the first page's own modules would otherwise be
 * fetched one hop later, after the layout runs. Every visit that starts elsewhere fetches these
 * files anyway on its first trip to the overview.
 *
 * The chart library is left out on purpose: the overview loads it once its headline numbers are
 * painted (src/lib/charts/library.ts), and preloading it would put its 51 KB back in front of
 * them. The build fails if it stops being a chunk of its own, since that would do the same.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

interface ManifestEntry {
  file: string
  src?: string
  imports?: string[]
  dynamicImports?: string[]
  isDynamicEntry?: boolean
}

type Manifest = Record<string, ManifestEntry>

const NODES_DIR = '.svelte-kit/generated/client-optimized/nodes'
const MANIFEST = '.svelte-kit/output/client/.vite/manifest.json'
const ROOT_PAGE = /from "(?:\.\.\/)+src\/routes\/\+page\.svelte"/
const CHART_LIBRARY = 'node_modules/uplot/'

/** The manifest key of the generated node module that renders src/routes/+page.svelte. */
function rootNodeKey(dashboardDir: string): string {
  const dir = join(dashboardDir, NODES_DIR)
  const node = readdirSync(dir).find((name) =>
    ROOT_PAGE.test(readFileSync(join(dir, name), 'utf8')),
  )
  if (node === undefined)
    throw new Error(`no node module in ${dir} renders src/routes/+page.svelte`)
  return `${NODES_DIR}/${node}`
}

/** Files to preload: the node and everything it imports statically. */
export function overviewFiles(manifest: Manifest, nodeKey: string): string[] {
  const files = new Set<string>()
  const visit = (key: string) => {
    const entry = manifest[key]
    if (entry === undefined || files.has(entry.file)) return
    files.add(entry.file)
    for (const imported of entry.imports ?? []) visit(imported)
  }
  visit(nodeKey)
  const chart = Object.keys(manifest).find(
    (key) => key.includes(CHART_LIBRARY) && manifest[key]?.isDynamicEntry,
  )
  const chartFile = chart === undefined ? undefined : manifest[chart]?.file
  if (chartFile === undefined) {
    throw new Error(`the build has no lazily loaded chunk for ${CHART_LIBRARY}`)
  }
  if (files.has(chartFile)) {
    throw new Error(`${CHART_LIBRARY} is imported statically by the overview; import it lazily`)
  }
  return [...files]
}

export function preloadOverview(buildDir: string, dashboardDir: string): number {
  const manifestPath = join(dashboardDir, MANIFEST)
  if (!existsSync(manifestPath))
    throw new Error(`${manifestPath} is missing; is build.manifest off?`)
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest
  const indexPath = join(buildDir, 'index.html')
  const html = readFileSync(indexPath, 'utf8')
  const links = overviewFiles(manifest, rootNodeKey(dashboardDir))
    .map((file) => `/${file}`)
    .filter((href) => !html.includes(`href="${href}"`))
    .map((href) => `<link href="${href}" rel="modulepreload">`)
  writeFileSync(indexPath, html.replace('</head>', `\t${links.join('\n\t\t')}\n\t</head>`))
  return links.length
}
