/** Opaque page cursors: the sort value and rowid of the last row seen, base64url JSON. */
export function encodeCursor(sortValue: number, rowid: number): string {
  return Buffer.from(JSON.stringify([sortValue, rowid])).toString('base64url')
}

export class CursorError extends Error {}

export function decodeCursor(cursor: string): [number, number] {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new CursorError('cursor is not one this server issued; pass nextCursor unchanged')
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'number' ||
    !Number.isInteger(decoded[1])
  ) {
    throw new CursorError('cursor is not one this server issued; pass nextCursor unchanged')
  }
  return [decoded[0], decoded[1]]
}
