import { checkString } from '@tenzo/core';

/** Fields every flag has. Keys of a command's `flags` are camelCase; on the command line they are kebab-case (`batchSize` → `--batch-size`). */
interface FlagBase {
  /** one line for `--help` */
  help: string;
  /** one-letter alias: `short: 'e'` accepts `-e 5` */
  short?: string;
  /** placeholder in help, e.g. 'file' → `--json <file>` */
  meta?: string;
  /** fail when the flag is absent and has no default */
  required?: boolean;
}

/** A finite number with optional bounds (inclusive `min`/`max`, exclusive `gt`/`lt`). */
export interface NumberFlag extends FlagBase {
  type: 'number';
  default?: number;
  min?: number;
  max?: number;
  gt?: number;
  lt?: number;
}

/** An integer with optional inclusive bounds. */
export interface IntegerFlag extends FlagBase {
  type: 'integer';
  default?: number;
  min?: number;
  max?: number;
}

/** A non-empty string (paths, names). */
export interface StringFlag extends FlagBase {
  type: 'string';
  default?: string;
}

/** `--flag`, `--no-flag`, `--flag=true|false`; absent means `default` (false unless given). */
export interface BooleanFlag extends FlagBase {
  type: 'boolean';
  default?: boolean;
}

/**
 * One of fixed choices — or, with `prefixes`, any value that starts with one of them and goes on
 * (`prefixes: ['remote:']` also takes `remote:http://127.0.0.1:7341`).
 */
export interface EnumFlag<C extends string = string> extends FlagBase {
  type: 'enum';
  choices: readonly C[];
  prefixes?: readonly string[];
  default?: C;
}

/**
 * A list of integers: `1..10` (inclusive), `1..10:3` (with a step), `2,4,8`, or mixes like
 * `1..3,8`. Bounds apply to every element.
 */
export interface RangeFlag extends FlagBase {
  type: 'range';
  default?: readonly number[];
  min?: number;
  max?: number;
}

/**
 * One flag's declaration, discriminated by `type`: a number, an integer, a string, a boolean switch, one
 * of a fixed set of choices, or a list of integers written as ranges (`1..10:3`, `2,4,8`).
 */
export type FlagSpec = NumberFlag | IntegerFlag | StringFlag | BooleanFlag | EnumFlag | RangeFlag;
/** A command's flags by camelCase name (written `--kebab-case` on the command line). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The parsed type of one flag. */
export type FlagValue<F extends FlagSpec> = F extends { type: 'number' | 'integer' }
  ? number
  : F extends { type: 'string' }
    ? string
    : F extends { type: 'boolean' }
      ? boolean
      : F extends {
            type: 'enum';
            choices: readonly (infer C)[];
            prefixes: readonly (infer P extends string)[];
          }
        ? C | `${P}${string}`
        : F extends { type: 'enum'; choices: readonly (infer C)[] }
          ? C
          : F extends { type: 'range' }
            ? number[]
            : never;

/** Flags with a default, `required: true`, or boolean type are always present; others may be undefined. */
export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]: S[K] extends { default: unknown } | { required: true } | { type: 'boolean' }
    ? FlagValue<S[K]>
    : FlagValue<S[K]> | undefined;
};

/** Positional arguments a command accepts (none unless given). */
export interface PositionalSpec {
  /** shown in usage, e.g. 'file' → `<file...>` */
  name: string;
  help?: string;
  /** default 0 */
  min?: number;
  /** default unbounded */
  max?: number;
}

/**
 * One subcommand of an {@link AppSpec}: the description its help prints, its flags by name and,
 * optionally, the positional arguments it takes.
 */
export interface CommandSpec<F extends FlagSpecs = FlagSpecs> {
  description: string;
  flags: F;
  positionals?: PositionalSpec;
}

/**
 * A multi-command CLI for `parseCommand` and `formatAppHelp`: its binary name, one-line description,
 * optional version and its subcommands by name.
 */
export interface AppSpec<
  C extends Readonly<Record<string, CommandSpec>> = Readonly<Record<string, CommandSpec>>,
> {
  /** the binary name, e.g. 'tenzo-train' */
  name: string;
  description: string;
  /** printed by `--version` / `-V` (the package version) */
  version?: string;
  commands: C;
}

/** A successful parse: narrowing on `command` narrows `flags` to that command's values. */
export type ParsedCommand<C extends Readonly<Record<string, CommandSpec>>> = {
  [K in keyof C & string]: {
    kind: 'run';
    command: K;
    flags: FlagValues<C[K]['flags']>;
    positionals: string[];
  };
}[keyof C & string];

/** `--help` was asked for: print `text` and exit 0. */
export interface HelpRequest {
  kind: 'help';
  text: string;
}

/** `batchSize` → `batch-size`. */
export function kebabCase(key: string): string {
  return checkString('kebabCase: key', key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
