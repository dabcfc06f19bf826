/** Short human-readable rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    const head = value.slice(0, 8).map(element);
    return value.length > 8 ? `[${head.join(', ')}, ... (${value.length})]` : `[${head.join(', ')}]`;
  }
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'object') return `${(value as object).constructor?.name ?? 'object'}`;
  return String(value);
}

/** An array element as `join` writes it, without throwing on symbols or prototype-less objects. */
function element(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return Array.isArray(v) ? v.map(element).join(',') : describeValue(v);
  return String(v);
}

/** Renders a shape the way numpy users read it: [2, 3]. */
export function formatShape(shape: readonly number[]): string {
  return Array.isArray(shape) ? `[${shape.map(element).join(', ')}]` : describeValue(shape);
}
