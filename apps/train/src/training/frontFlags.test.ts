import { convFrontWidth } from '@tenzo/hybrid';
import { describe, expect, it } from 'vitest';
import { convFront, frontArgv, withoutDefaultFront } from './frontFlags.js';

const conv = { front: 'conv', convChannels: 16, convKernel: 14, convStride: 14, convPadding: 0 } as const;

describe('front flags', () => {
  it('the default conv front gives 64 device inputs; the dense front none', () => {
    expect(convFrontWidth(convFront(conv, 28, 28)!)).toBe(64);
    expect(convFront({ ...conv, front: 'dense' }, 28, 28)).toBeUndefined();
    expect(frontArgv({ ...conv, front: 'dense' })).toEqual([]);
    expect(frontArgv(conv).join(' ')).toBe(
      '--front conv --conv-channels 16 --conv-kernel 14 --conv-stride 14 --conv-padding 0',
    );
  });

  it('leaves a dense front out of resume configs, so older runs still match', () => {
    expect(withoutDefaultFront({ seed: 1, ...conv, front: 'dense' })).toEqual({ seed: 1 });
    expect(withoutDefaultFront({ seed: 1, ...conv })).toEqual({ seed: 1, ...conv });
  });
});
