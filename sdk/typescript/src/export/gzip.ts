// Below about 1 KiB gzip saves little and costs a stream setup; a batch of one span is ~1 KiB.
const GZIP_LENGTH_MIN = 1024

/** The body gzipped where `CompressionStream` exists and worth it, else as it is. */
export async function encodeBody(
  json: string,
  gzip: boolean,
): Promise<{ body: string | Uint8Array<ArrayBuffer>; encoding: 'gzip' | null }> {
  if (!gzip || json.length < GZIP_LENGTH_MIN || typeof CompressionStream !== 'function') {
    return { body: json, encoding: null }
  }
  try {
    const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('gzip'))
    const body = new Uint8Array(await new Response(stream).arrayBuffer())
    return { body, encoding: 'gzip' }
  } catch {
    return { body: json, encoding: null }
  }
}
