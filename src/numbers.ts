/**
 * A number that is not NaN or ±Infinity. `Number.isFinite` does not coerce, so a string, null
 * or undefined is not one either: this is the whole check, and it narrows the type.
 */
export const isFiniteNumber = (value: unknown): value is number => Number.isFinite(value)
