import { HttpError } from './errors.ts'

const DECODERS: Record<string, CompressionFormat | null> = {
  '': null,
  identity: null,
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
}

const JSON_TYPES = ['application/json', 'text/plain', '']

function tooLarge(seen: string, bytesMax: number): HttpError {
  return new HttpError(
    413,
    `body is ${seen}; the limit is ${bytesMax} bytes after decompression (LLMLENS_BODY_MAX_BYTES)`,
  )
}

/**
 * The request body, decompressed and size-checked, as bytes. The limit counts decompressed
 * bytes as they stream in, so a small gzip bomb is stopped at the limit, not after inflating.
 */
export async function readBody(request: Request, bytesMax: number): Promise<Uint8Array> {
  const encoding = (request.headers.get('content-encoding') ?? '').trim().toLowerCase()
  if (!(encoding in DECODERS)) {
    throw new HttpError(
      415,
      `content-encoding "${encoding}" is not supported; send gzip, deflate or identity`,
    )
  }
  const format = DECODERS[encoding] ?? null
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > bytesMax) throw tooLarge(`${declared} bytes`, bytesMax)
  if (format === null && Number.isInteger(declared))
    return new Uint8Array(await request.arrayBuffer())
  if (request.body === null) return new Uint8Array(0)

  const stream =
    format === null ? request.body : request.body.pipeThrough(new DecompressionStream(format))
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > bytesMax) {
        void reader.cancel().catch(() => {})
        throw tooLarge(`more than ${bytesMax} bytes (${size} read when it stopped)`, bytesMax)
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new HttpError(400, `body is not valid ${encoding || 'data'}: ${(error as Error).message}`)
  }
  return Buffer.concat(chunks)
}

/** The body parsed as JSON, with a 400 that says where parsing failed. */
export async function readJson(request: Request, bytesMax: number): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!JSON_TYPES.includes(type)) {
    throw new HttpError(415, `content-type "${type}" is not accepted here; send application/json`)
  }
  const bytes = await readBody(request, bytesMax)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8')
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new HttpError(400, `body is not valid JSON: ${(error as Error).message}`)
  }
}
