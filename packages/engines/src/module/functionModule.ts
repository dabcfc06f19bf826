import { pathToFileURL } from 'node:url';
import { ArgumentError, checkObject, checkString, describeValue } from '@tenzo/core';

/**
 * Where a black box lives when it is evaluated away from the caller: an ES module (a file path or
 * a URL) and the function it exports. Worker threads and `tenzo-worker` processes import it
 * themselves, so the function never has to be serialised.
 */
export interface FunctionModule {
  /** the ES module that defines the black box (a file path or a file:/data: URL) */
  readonly module: string | URL;
  /** the export to call (default 'default') */
  readonly export?: string;
  /**
   * 'pointwise' (default): f(row) → number (or a promise of one), row a subarray of length dim;
   * 'batched': f(points, count, dim) → ArrayLike<number> of the count values
   */
  readonly kind?: 'pointwise' | 'batched';
}

/** A FunctionModule checked and resolved: the module as a URL string. */
export interface ResolvedModule {
  readonly url: string;
  readonly name: string;
  readonly batched: boolean;
  /** `<url>#<export>`, for messages */
  readonly label: string;
}

/**
 * Checks a {@link FunctionModule} and resolves it for a worker: a file path becomes a file: URL, the
 * export defaults to 'default', the kind to pointwise. `fn` names the caller in messages.
 * @throws ArgumentError when the module, export or kind is invalid
 */
export function resolveModule(fn: string, spec: FunctionModule): ResolvedModule {
  checkString('resolveModule: fn', fn);
  checkObject(`${fn}: options`, spec);
  const m = spec.module;
  if (!(m instanceof URL) && (typeof m !== 'string' || m === ''))
    throw new ArgumentError(`${fn}: module expected a file path or URL, got ${describeValue(m)}`);
  const url =
    m instanceof URL
      ? m.href
      : /^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:\\/i.test(m)
        ? m
        : pathToFileURL(m).href;
  const name = spec.export ?? 'default';
  if (typeof name !== 'string' || name === '')
    throw new ArgumentError(`${fn}: export expected a non-empty name, got ${describeValue(name)}`);
  const kind = spec.kind ?? 'pointwise';
  if (kind !== 'pointwise' && kind !== 'batched')
    throw new ArgumentError(`${fn}: kind expected 'pointwise' or 'batched', got ${describeValue(kind)}`);
  return { url, name, batched: kind === 'batched', label: `${url}#${name}` };
}
