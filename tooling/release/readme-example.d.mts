// Declarations for readme-example.mjs (the tests import it from TypeScript).

/** A README's runnable example: its code, packages it needs without importing, its arguments. */
export interface ReadmeExample {
  readonly code: string;
  readonly extras: string[];
  readonly args: string[];
  /** whether a `<!-- registry-example -->` comment chose it (else: the first ```ts block) */
  readonly marked: boolean;
}

/** The example of one README; null when it has no ```ts block. */
export function readmeExample(readme: string): ReadmeExample | null;

/** The package names an example imports (bare specifiers), sorted, without duplicates. */
export function importedPackages(code: string): string[];

/** The example as a runnable .mjs or .cjs module (CommonJS: body in an async function). */
export function compileExample(ts: typeof import('typescript'), code: string, format: 'esm' | 'cjs'): string;
