/** A failed API call, with the server's own explanation when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

let onUnauthorized: () => void = () => {}
let gate: () => Promise<boolean> = async () => true

/** Who to tell when the server answers 401, so the dashboard can ask for a key. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

/**
 * What reads wait for before they go out: whether this browser may read the API. Pages render
 * and start their reads while the sign-in state is still being checked; the reads leave the
 * moment it is known, and not at all when a sign-in is needed.
 */
export function setRequestGate(check: () => Promise<boolean>): void {
  gate = check
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown }
    if (typeof body.error === 'string') return body.error
  } catch {
    // Not JSON: a proxy's error page, say. The status is all there is to report.
  }
  return `the server answered ${response.status} ${response.statusText}`
}

/** Sends a request to the API; the session cookie goes along, as the browser does same-origin. */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin' })
  } catch (error) {
    if (isAbort(error)) throw error
    throw new ApiError(0, 'cannot reach the llmlens server; is it running?')
  }
  if (response.status === 401) {
    onUnauthorized()
    throw new ApiError(401, await errorMessage(response))
  }
  if (!response.ok) throw new ApiError(response.status, await errorMessage(response))
  return response
}

/** GET `path?params` and parse the JSON reply. */
export async function getJson<T>(
  path: string,
  params: URLSearchParams | null,
  signal?: AbortSignal,
): Promise<T> {
  const query = params?.toString() ?? ''
  if (!(await gate())) throw new ApiError(401, 'sign in to read this server')
  const response = await request(query === '' ? path : `${path}?${query}`, {
    headers: { accept: 'application/json' },
    signal,
  })
  return (await response.json()) as T
}

/**
 * Sends `body` as JSON with `method` (POST, DELETE) and parses the JSON reply. The browser adds
 * the Origin header the server checks on state-changing requests; the session cookie goes along.
 */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (!(await gate())) throw new ApiError(401, 'sign in to change this server')
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await response.json()) as T
}

/** The message to show for a failed read. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  return error instanceof Error ? error.message : String(error)
}
