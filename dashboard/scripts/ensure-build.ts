/**
 * Builds the dashboard when dashboard/build is missing or older than its sources, and does
 * nothing otherwise, so `npm start` always serves the dashboard of the checked-out code at the
 * cost of one build after a change. Run from the repository root: bun dashboard/scripts/ensure-build.ts
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildIsCurrent, DASHBOARD_DIR } from './build-stamp.ts'

if (buildIsCurrent()) process.exit(0)

const hasBuild = existsSync(join(DASHBOARD_DIR, 'build', 'index.html'))
if (!existsSync(join(DASHBOARD_DIR, '..', 'node_modules', 'vite'))) {
  // A production install (npm ci --omit=dev) has no build tools. Serving an older build, or
  // the API alone, beats refusing to start; the server logs that the dashboard is missing.
  console.warn(
    `dashboard: ${hasBuild ? 'the build is older than its sources' : 'not built'}, and its ` +
      'build tools are not installed (dev dependencies); run `npm ci`, then ' +
      '`npm run build -w dashboard`',
  )
  process.exit(0)
}

console.log(
  `dashboard: ${hasBuild ? 'sources changed since the last build' : 'not built yet'}; building…`,
)
const result = spawnSync('npm', ['run', 'build'], { cwd: DASHBOARD_DIR, stdio: 'inherit' })
process.exit(result.status ?? 1)
