import { ApiError, request, setRequestGate, setUnauthorizedHandler } from '../api/client.ts'

export type AuthState = 'checking' | 'open' | 'signed-in' | 'signed-out'

/**
 * Whether this browser may read the API. With API keys configured the server wants a session:
 * the key is sent once, to POST /api/v1/session, and lives on only as an HttpOnly cookie.
 */
class Auth {
  state = $state<AuthState>('checking')
  required = $state(false)
  error = $state<string | null>(null)

  private settled: Promise<void>
  private settle: () => void = () => {}

  constructor() {
    this.settled = new Promise((resolve) => {
      this.settle = resolve
    })
  }

  get ready(): boolean {
    return this.state === 'open' || this.state === 'signed-in'
  }

  /** Resolves once the first check has answered: true when reads may go out. */
  async mayRead(): Promise<boolean> {
    await this.settled
    return this.ready
  }

  async check(): Promise<void> {
    try {
      const response = await request('/api/v1/session', { headers: { accept: 'application/json' } })
      const body = (await response.json()) as { authRequired?: boolean; authenticated?: boolean }
      this.required = body.authRequired === true
      if (!this.required) this.state = 'open'
      else this.state = body.authenticated === true ? 'signed-in' : 'signed-out'
    } catch (error) {
      // An older server without the session route, or none at all: let the pages say so.
      this.error = error instanceof ApiError && error.status === 0 ? error.message : null
      this.state = 'open'
    } finally {
      this.settle()
    }
  }

  async signIn(apiKey: string): Promise<boolean> {
    this.error = null
    try {
      await request('/api/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ apiKey }),
      })
      this.state = 'signed-in'
      return true
    } catch (error) {
      this.error =
        error instanceof ApiError && error.status === 401
          ? 'That key is not one of this server’s API keys.'
          : error instanceof Error
            ? error.message
            : String(error)
      this.state = 'signed-out'
      return false
    }
  }

  async signOut(): Promise<void> {
    try {
      await request('/api/v1/session', { method: 'DELETE' })
    } finally {
      this.state = 'signed-out'
    }
  }

  /** Called when any read answers 401: the session ended, so ask for a key again. */
  lost(): void {
    if (this.state !== 'checking') this.state = 'signed-out'
    this.required = true
  }
}

export const auth = new Auth()
setUnauthorizedHandler(() => auth.lost())
setRequestGate(() => auth.mayRead())
