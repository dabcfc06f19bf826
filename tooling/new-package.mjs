#!/usr/bin/env node
// Scaffolds packages/<name> with the workspace's publishable layout:
//   node tooling/new-package.mjs <name> "<description>"
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = ''] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node tooling/new-package.mjs <name> "<description>"');
  process.exit(2);
}
const dir = join('packages', name);
mkdirSync(join(dir, 'src'), { recursive: true });
const write = (file, text) => {
  const path = join(dir, file);
  if (!existsSync(path)) writeFileSync(path, text);
};
// every tarball carries the license text (npm packs a package's LICENSE whatever `files` says)
copyFileSync('LICENSE', join(dir, 'LICENSE'));
write(
  'package.json',
  `${JSON.stringify(
    {
      name: `@tenzo/${name}`,
      version: '0.1.0',
      description,
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      repository: { type: 'git', url: 'git+https://github.com/tenzo-ml/tenzo.git', directory: dir },
      engines: { node: '>=20.19' },
      files: ['dist', 'src', '!src/**/*.test.ts'],
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.cts',
      exports: {
        '.': {
          '@tenzo/source': './src/index.ts',
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
      scripts: {
        build: 'tsup',
        typecheck: 'tsc -p tsconfig.json',
        test: 'vitest run',
        'test:package': 'publint --strict && attw --pack . --profile node16',
      },
      dependencies: {},
      devDependencies: { '@tenzo/tooling': 'workspace:^' },
    },
    null,
    2,
  )}\n`,
);
write(
  'tsconfig.json',
  `${JSON.stringify({ extends: '../../tooling/tsconfig.base.json', include: ['src', 'test'] }, null, 2)}\n`,
);
write(
  'tsup.config.ts',
  `import { libraryConfig } from '@tenzo/tooling/tsup';\nimport { defineConfig } from 'tsup';\n\nexport default defineConfig(libraryConfig());\n`,
);
write(
  'vitest.config.ts',
  `import { projectConfig } from '@tenzo/tooling/vitest';\nimport { defineConfig } from 'vitest/config';\n\nexport default defineConfig(projectConfig('${name}'));\n`,
);
console.log(`scaffolded ${dir}`);
