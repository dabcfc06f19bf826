import { ArgumentError } from '@tenzo/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineCommand } from './commonFlags.js';
import { parseArgs } from './parseArgs.js';

const app = {
  name: 'tenzo-train',
  description: 'test',
  commands: {
    mnist: defineCommand({
      description: 'test',
      flags: {
        device: {
          type: 'enum',
          choices: ['none', 'slm'],
          prefixes: ['remote:'],
          default: 'none',
          help: 'device',
        },
      },
    }),
  },
} as const;

function device(...argv: string[]) {
  const r = parseArgs(['mnist', ...argv], app);
  if (r.kind !== 'run') throw new Error('expected a run');
  return r.flags.device;
}

describe('enum flags with prefixes', () => {
  it('take a choice or a value that starts with a prefix and goes on', () => {
    expect(device()).toBe('none');
    expect(device('--device', 'slm')).toBe('slm');
    expect(device('--device', 'remote:http://127.0.0.1:7341')).toBe('remote:http://127.0.0.1:7341');
    expectTypeOf(device()).toEqualTypeOf<'none' | 'slm' | `remote:${string}`>();
  });

  it('refuse anything else, naming the flag, the choices and the prefix', () => {
    for (const bad of ['remote:', 'laser', 'remotehttp://x'])
      expect(() => device('--device', bad)).toThrowError(
        new ArgumentError(`--device: expected one of 'none', 'slm', 'remote:…', got "${bad}"`),
      );
  });
});
