import { BackendError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { TorchPeer } from './torchPeer.js';

describe('TorchPeer', () => {
  it('reports a python that cannot start as a BackendError, without crashing the process', async () => {
    const start = TorchPeer.start('/nonexistent/python3', { variant: 'loop', threads: 1 });
    await expect(start).rejects.toBeInstanceOf(BackendError);
    await expect(start).rejects.toThrow(/python process ended.*ENOENT/);
  });
});
