import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Runs a benchmark that lives in its own process (one needing Python or a browser) from the
 * repository root; returns its standard output, or throws with it when the process fails.
 */
export async function runChild(command: string[]): Promise<string> {
  const child = Bun.spawn(command, { cwd: REPO_ROOT, stdout: 'pipe', stderr: 'inherit' })
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
  if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}:\n${out}`)
  return out
}
