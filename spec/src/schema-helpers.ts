import { type Static, type TSchema, Type } from '@sinclair/typebox'

/** A schema that also admits `null`, written as `type: [t, 'null']` so errors stay readable. */
export function nullable<T extends TSchema>(schema: T) {
  const type = schema.type
  if (typeof type !== 'string') throw new Error('nullable() needs a schema with a single type')
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] })
}

/** A string enum as one `enum` keyword (not anyOf of literals), for one clear error message. */
export function stringEnum<const T extends readonly string[]>(values: T, description: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description })
}

/** A string enum that also admits `null`, meaning "not given". */
export function nullableEnum<const T extends readonly string[]>(values: T, description: string) {
  return Type.Unsafe<T[number] | null>({
    type: ['string', 'null'],
    enum: [...values, null],
    description,
  })
}

const rfc3339 =
  '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$'

/** Unix epoch milliseconds (fractions allowed) or an RFC 3339 timestamp. */
export function timestamp(description: string) {
  return Type.Unsafe<number | string>({
    type: ['number', 'string'],
    minimum: 0,
    pattern: rfc3339,
    description: `${description}: Unix epoch milliseconds or an RFC 3339 string`,
  })
}
