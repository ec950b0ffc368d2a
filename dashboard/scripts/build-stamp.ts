/**
 * Says whether dashboard/build matches the sources: a hash of every input of the build (the
 * source files, the build scripts and config, and the installed version of each dependency),
 * written to .build-stamp when a build finishes.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
const STAMP_FILE = '.build-stamp'
const SOURCE_DIRS = ['src', 'static']
const BUILD_FILES = [
  'package.json',
  'svelte.config.js',
  'vite.config.ts',
  'tsconfig.json',
  'scripts/postbuild.ts',
  'scripts/externalize-boot.ts',
  'scripts/inline-styles.ts',
  'scripts/precompress.ts',
  'scripts/preload-overview.ts',
  'scripts/build-stamp.ts',
]
// Tests do not change what is built; leaving them out spares a rebuild after editing one.
const NOT_INPUTS = /\.test\.ts$|\/testing\//

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !NOT_INPUTS.test(path))
}

/** The installed version of each dependency, found the way Node resolves it from here. */
function dependencyVersions(dashboardDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dashboardDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).sort()
  return names.map((name) => {
    for (const root of [dashboardDir, join(dashboardDir, '..')]) {
      const path = join(root, 'node_modules', name, 'package.json')
      if (existsSync(path)) return `${name}@${JSON.parse(readFileSync(path, 'utf8')).version}`
    }
    return `${name}@missing`
  })
}

export function sourceHash(dashboardDir: string = DASHBOARD_DIR): string {
  const hash = createHash('sha256')
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => filesUnder(join(dashboardDir, dir))),
    ...BUILD_FILES.map((file) => join(dashboardDir, file)).filter((path) => existsSync(path)),
  ].sort()
  for (const path of files) {
    hash.update(`${relative(dashboardDir, path)}\0`)
    hash.update(readFileSync(path))
    hash.update('\0')
  }
  for (const version of dependencyVersions(dashboardDir)) hash.update(`${version}\0`)
  return hash.digest('hex')
}

/** True when build/index.html exists and was built from the sources as they are now. */
export function buildIsCurrent(dashboardDir: string = DASHBOARD_DIR): boolean {
  const stamp = join(dashboardDir, STAMP_FILE)
  if (!existsSync(join(dashboardDir, 'build', 'index.html')) || !existsSync(stamp)) return false
  return readFileSync(stamp, 'utf8').trim() === sourceHash(dashboardDir)
}

export function writeStamp(dashboardDir: string = DASHBOARD_DIR): void {
  writeFileSync(join(dashboardDir, STAMP_FILE), `${sourceHash(dashboardDir)}\n`)
}
