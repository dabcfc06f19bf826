import { createHash } from 'node:crypto';
import { ArgumentError, describeValue, FormatError } from '@tenzo/core';
import type { PointArray } from '../engine.js';

/**
 * One job of a distributed batch: rows [part·chunk, …) of batch `batch` of run `runId`. Its BullMQ
 * id is `<runId>.<batch>.<part>`, so adding it again (a retried add, a duplicated client, a
 * restarted client) finds the job already there instead of making a second one. Arrays travel
 * as base64 of their bytes: exact for every float64 (NaN payloads and −0 included), unlike JSON
 * numbers, and 3–4× smaller. Bytes are in the machine's order, little-endian everywhere Node runs.
 */
export interface EvaluationJobData {
  readonly v: 1;
  readonly runId: string;
  readonly batch: number;
  readonly part: number;
  readonly count: number;
  readonly dim: number;
  readonly dtype: 'int32' | 'float64';
  /** base64 of the count×dim points */
  readonly points: string;
  /** `digest` of the points, so a result can be matched to the points it was computed from */
  readonly digest: string;
}

/** What a worker returns for a job: the digest of the points it evaluated and their values. */
export interface EvaluationJobResult {
  readonly digest: string;
  /** base64 of `count` float64 values */
  readonly values: string;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function checkRunId(fn: string, runId: unknown): string {
  if (typeof runId !== 'string' || !RUN_ID.test(runId))
    throw new ArgumentError(
      `${fn}: runId expected 1–128 characters of [A-Za-z0-9_-], got ${describeValue(runId)}`,
    );
  return runId;
}

export function jobId(runId: string, batch: number, part: number): string {
  return `${runId}.${batch}.${part}`;
}

export function toBase64(a: PointArray | Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** A typed array from base64 of its bytes; FormatError when the byte count does not fit. */
export function fromBase64(
  what: string,
  text: unknown,
  dtype: 'int32' | 'float64',
  length: number,
): PointArray {
  if (typeof text !== 'string')
    throw new FormatError(`${what}: expected base64 text, got ${describeValue(text)}`);
  const bytes = Buffer.from(text, 'base64');
  const width = dtype === 'int32' ? 4 : 8;
  if (bytes.length !== length * width)
    throw new FormatError(
      `${what}: expected ${length} ${dtype} values (${length * width} bytes), got ${bytes.length} bytes`,
    );
  // a fresh, aligned buffer: Buffer.from may hand back a slice of its shared pool at any offset
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return dtype === 'int32' ? new Int32Array(copy) : new Float64Array(copy);
}

/** SHA-256 of the dtype, shape and bytes of a block of points, first 16 hex digits. */
export function digest(points: PointArray, count: number, dim: number): string {
  const h = createHash('sha256');
  h.update(`${points instanceof Int32Array ? 'int32' : 'float64'}:${count}x${dim}:`);
  h.update(new Uint8Array(points.buffer, points.byteOffset, points.byteLength));
  return h.digest('hex').slice(0, 16);
}

/** Checks a job's data as a worker reads it from Redis (FormatError naming the field). */
export function readJobData(id: string, data: unknown): EvaluationJobData & { decoded: PointArray } {
  const what = `job ${id}`;
  if (data === null || typeof data !== 'object')
    throw new FormatError(`${what}: data expected an object, got ${describeValue(data)}`);
  const d = data as Record<string, unknown>;
  if (d.v !== 1) throw new FormatError(`${what}: v expected 1, got ${describeValue(d.v)}`);
  for (const k of ['batch', 'part', 'count', 'dim'] as const)
    if (!Number.isSafeInteger(d[k]) || (d[k] as number) < (k === 'dim' ? 1 : 0))
      throw new FormatError(
        `${what}: ${k} expected a ${k === 'dim' ? 'positive' : 'non-negative'} integer, got ${describeValue(d[k])}`,
      );
  if (d.dtype !== 'int32' && d.dtype !== 'float64')
    throw new FormatError(`${what}: dtype expected 'int32' or 'float64', got ${describeValue(d.dtype)}`);
  if (typeof d.runId !== 'string' || typeof d.digest !== 'string')
    throw new FormatError(`${what}: runId and digest expected strings`);
  const count = d.count as number;
  const dim = d.dim as number;
  const decoded = fromBase64(`${what}: points`, d.points, d.dtype, count * dim);
  return { ...(d as unknown as EvaluationJobData), decoded };
}
