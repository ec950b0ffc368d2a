/** The parts of the server's trace reply the tests read. */
export interface StoredTrace {
  traceId: string
  spans: Record<string, unknown>[]
  roots: string[]
  scores: Record<string, unknown>[]
}

export async function getTrace(serverUrl: string, traceId: string): Promise<StoredTrace> {
  const response = await fetch(`${serverUrl}/api/v1/traces/${traceId}`)
  if (!response.ok)
    throw new Error(`GET trace ${traceId}: ${response.status} ${await response.text()}`)
  return (await response.json()) as StoredTrace
}
