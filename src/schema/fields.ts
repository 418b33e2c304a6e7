// Building blocks of the configuration's JSON Schema (TypeBox): each is a JSON Schema object and,
// through `Static`, the TypeScript type of the same field. The schema describes shapes; the
// validators (src/validate.ts and each parser) check ranges and give the exact messages.
import * as T from "@sinclair/typebox";

/** A string that is one of `values` (JSON Schema `enum`), typed as their union. */
export function stringEnum<const V extends readonly string[]>(values: V, description: string): T.TUnsafe<V[number]> {
  return T.Unsafe<V[number]>({ type: "string", enum: [...values], description });
}

/** The field names of an object schema: the keys a validator accepts. */
export function fieldsOf(schema: T.TObject): string[] {
  return Object.keys(schema.properties);
}

/** A rotation plane [p, q]: two distinct axes in 0..d-1. */
export const planeSchema = T.Tuple([T.Integer({ minimum: 0 }), T.Integer({ minimum: 0 })], {
  description: "a rotation plane [p, q]: two distinct axes in 0..d-1 (default [0, 1]); R(theta) sends e_p to cos(theta) e_p + sin(theta) e_q",
});

/** A matrix given as rows: `m[r][c]` is entry (r, c). */
export const matrixSchema = T.Array(T.Array(T.Number()), { description: "a matrix given as rows: m[r][c] is entry (r, c)" });

/** One orthogonal d x d gauge per label, as rows (z = G_a x). */
export const gaugesSchema = T.Array(matrixSchema, {
  minItems: 1,
  description: "one orthogonal d x d matrix per label, as rows (z = G_a x); within 1e-10 of orthogonal",
});

/** The force's normalisation: "usa" (1/n) or "sa" (softmax). */
export const normalizeSchema = stringEnum(["usa", "sa"] as const, '"usa" (default): the force is divided by n; "sa": by the softmax sum (needs W >= 0 with a positive diagonal)');

/** A non-empty array of numbers. */
export function numberList(description: string): T.TArray<T.TNumber> {
  return T.Array(T.Number(), { minItems: 1, description });
}
