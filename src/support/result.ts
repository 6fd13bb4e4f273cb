// Outcomes that cross the use-case boundary: a value, or a snake_case code the edge turns into words.
export type Result<T, E extends string = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E extends string>(error: E): Result<never, E> => ({ ok: false, error });
