import { OutOfRangeError } from '@tenzo/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeExecutors, executorFor, threadsFlag } from './threadsFlag.js';

afterEach(closeExecutors);

describe('threadsFlag / executorFor', () => {
  it('defaults to the cores, 1..256', () => {
    expect(threadsFlag.threads.default).toBeGreaterThanOrEqual(1);
    expect([threadsFlag.threads.min, threadsFlag.threads.max]).toEqual([1, 256]);
  });

  it('is null for one thread and shares one pool per count', async () => {
    expect(executorFor(1)).toBeNull();
    const a = executorFor(2);
    expect(a?.threads).toBe(2);
    expect(executorFor(2)).toBe(a);
    const b = executorFor(3);
    expect(b).not.toBe(a);
    expect(b?.threads).toBe(3);
    await closeExecutors();
    const c = executorFor(3);
    expect(c).not.toBe(b);
  });

  it('refuses a count below one', () => {
    expect(() => executorFor(0)).toThrow(OutOfRangeError);
    expect(() => executorFor(1.5)).toThrow(OutOfRangeError);
  });
});
