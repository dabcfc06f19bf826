import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import {
  CNN_WIDTH,
  DENSE_WIDTH,
  frontArgv,
  frontShape,
  withoutDefaultFront,
  withWidth,
} from './frontArgv.js';

const conv = { front: 'conv', convChannels: 16, convKernel: 14, convStride: 14, convPadding: 0 } as const;
const dense = { ...conv, front: 'dense' } as const;

describe('front flags', () => {
  it('the conv front sets the device width; the dense one takes --width (256 when not given)', () => {
    expect(frontShape({ ...conv, width: undefined }, 28, 28).width).toBe(64);
    expect(frontShape({ ...dense, width: undefined }, 28, 28)).toEqual({
      conv: undefined,
      width: DENSE_WIDTH,
    });
    expect(frontShape({ ...dense, width: 32 }, 28, 28).width).toBe(32);
    expect(frontArgv(dense)).toEqual([]);
    expect(frontArgv(conv).join(' ')).toBe(
      '--front conv --conv-channels 16 --conv-kernel 14 --conv-stride 14 --conv-padding 0',
    );
  });

  it('--width with --front conv is a conflict, not silently ignored', () => {
    const err = new ArgumentError(
      "--width: conflicts with --front conv (the conv front's features set the device width); drop --width 32 or use --front dense",
    );
    expect(() => withWidth({ ...conv, width: 32 })).toThrow(err);
    expect(() => frontShape({ ...conv, width: 32 }, 28, 28)).toThrow(err);
    // filled in place: configs keep their key order
    expect(Object.keys(withWidth({ seed: 1, width: undefined, ...dense }))).toEqual([
      'seed',
      'width',
      'front',
      'convChannels',
      'convKernel',
      'convStride',
      'convPadding',
    ]);
  });

  it('leaves a dense front out of resume configs, so older runs still match', () => {
    expect(withoutDefaultFront({ seed: 1, ...dense })).toEqual({ seed: 1 });
    expect(withoutDefaultFront({ seed: 1, ...conv })).toEqual({ seed: 1, ...conv });
    expect(withoutDefaultFront({ seed: 1, ...conv, front: 'cnn' })).toEqual({ front: 'cnn', seed: 1 });
  });

  it('the CNN front: its head width W is --width (128 when not given), its argv names it', () => {
    const cnn = { ...conv, front: 'cnn' } as const;
    expect(frontShape({ ...cnn, width: undefined }, 28, 28)).toEqual({ conv: undefined, width: CNN_WIDTH });
    expect(CNN_WIDTH).toBe(128);
    expect(frontShape({ ...cnn, width: 64 }, 28, 28).width).toBe(64);
    expect(frontArgv(cnn)).toEqual(['--front', 'cnn']);
  });
});
