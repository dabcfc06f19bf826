/** Short human-readable rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value))
    return value.length > 8
      ? `[${value.slice(0, 8).join(', ')}, ... (${value.length})]`
      : `[${value.join(', ')}]`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'object') return `${(value as object).constructor?.name ?? 'object'}`;
  return String(value);
}

/** Renders a shape the way numpy users read it: [2, 3]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
