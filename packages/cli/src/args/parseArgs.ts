import {
  ArgumentError,
  checkArray,
  checkObject,
  checkString,
  describeValue,
  OutOfRangeError,
} from '@tenzo/core';
import { formatAppHelp, formatCommandHelp } from './help.js';
import {
  type AppSpec,
  type CommandSpec,
  type FlagSpec,
  type FlagSpecs,
  type FlagValues,
  type HelpRequest,
  kebabCase,
  type ParsedCommand,
} from './spec.js';
import { closest } from './suggest.js';
import { expectation, parseFlagValue } from './values.js';

function unknownFlag(token: string, cmdName: string, names: readonly string[]): ArgumentError {
  // a misspelt negation is suggested as a negation ('--no-baseline' → '--no-baselines')
  const negated = token.startsWith('--no-') ? closest(`--${token.slice(5)}`, names) : undefined;
  const hint = negated !== undefined ? `--no-${negated.slice(2)}` : closest(token, names);
  return new ArgumentError(
    `${token}: unknown option for '${cmdName}'${hint ? `; did you mean ${hint}?` : ''} (see --help)`,
  );
}

/**
 * Parses the arguments after the command name against one command's flags.
 * Returns a HelpRequest when `-h`/`--help` is present anywhere before `--`.
 */
export function parseCommand<F extends FlagSpecs>(
  argv: readonly string[],
  app: Pick<AppSpec, 'name'>,
  name: string,
  cmd: CommandSpec<F>,
): { flags: FlagValues<F>; positionals: string[] } | HelpRequest {
  checkArgv('parseCommand', argv);
  checkObject('parseCommand: cmd', cmd);
  checkObject('parseCommand: cmd.flags', cmd.flags);
  const byLong = new Map<string, [string, FlagSpec]>();
  const byShort = new Map<string, [string, FlagSpec]>();
  for (const [key, spec] of Object.entries(cmd.flags)) {
    if (key === 'help' || spec.short === 'h') {
      throw new ArgumentError(
        `${name}.flags.${key}: --help and -h are reserved for help, got a flag using one`,
      );
    }
    byLong.set(`--${kebabCase(key)}`, [key, spec]);
    if (spec.short) byShort.set(`-${spec.short}`, [key, spec]);
  }
  const names = [...byLong.keys(), ...byShort.keys()];
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const dashdash = argv.indexOf('--');
  const flagPart = dashdash < 0 ? argv : argv.slice(0, dashdash);
  if (flagPart.includes('--help') || flagPart.includes('-h')) {
    return { kind: 'help', text: formatCommandHelp(app, name, cmd) };
  }

  for (let i = 0; i < flagPart.length; i++) {
    const token = flagPart[i]!;
    // '-3' and '-.5' are values (positionals), not short flags.
    if (!token.startsWith('-') || token === '-' || /^-[\d.]/.test(token)) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token;
    let inline = token.startsWith('--') && eq > 0 ? token.slice(eq + 1) : undefined;
    let entry = byLong.get(flag) ?? byShort.get(flag);
    if (!entry && flag.startsWith('--no-') && inline === undefined) {
      const positive = byLong.get(`--${flag.slice(5)}`);
      if (positive?.[1].type === 'boolean') {
        entry = positive;
        inline = 'false';
      }
    }
    if (!entry) throw unknownFlag(flag, name, names);
    const [key, spec] = entry;
    const label = `--${kebabCase(key)}`;
    if (key in values) throw new ArgumentError(`${label}: given more than once; expected at most one value`);
    let text: string;
    if (inline !== undefined) text = inline;
    else if (spec.type === 'boolean') text = 'true';
    else {
      const next = flagPart[i + 1];
      // A following '--flag' means the value was forgotten; taking it as the value would hide that.
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new ArgumentError(
          `${label}: expected ${expectation(spec)}, got nothing${next ? ` (next argument is the option ${next})` : ''}`,
        );
      }
      text = next;
      i++;
    }
    values[key] = parseFlagValue(label, text, spec);
  }
  if (dashdash >= 0) positionals.push(...argv.slice(dashdash + 1));

  for (const [key, spec] of Object.entries(cmd.flags)) {
    if (key in values) continue;
    if (spec.default !== undefined) {
      values[key] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
    } else if (spec.type === 'boolean') values[key] = false;
    else if (spec.required) {
      throw new ArgumentError(`--${kebabCase(key)}: required; expected ${expectation(spec)}, got nothing`);
    } else values[key] = undefined;
  }

  const pos = cmd.positionals;
  const min = pos?.min ?? 0;
  const max = pos ? (pos.max ?? Number.POSITIVE_INFINITY) : 0;
  if (positionals.length > max) {
    const extra = positionals[max]!;
    if (!pos) throw new ArgumentError(`'${name}' takes no positional arguments, got ${describeValue(extra)}`);
    throw new OutOfRangeError(`${pos.name}: expected at most ${max} value(s), got ${positionals.length}`);
  }
  if (positionals.length < min) {
    throw new OutOfRangeError(`${pos!.name}: expected at least ${min} value(s), got ${positionals.length}`);
  }
  return { flags: values as FlagValues<F>, positionals };
}

/**
 * Parses `argv` (without node and script, i.e. `process.argv.slice(2)`) for a subcommand app:
 * `<command> [--flag value | --flag=value | -f value | --bool | --no-bool]... [positionals] [-- rest]`.
 *
 * Returns `{ kind: 'help', text }` for `--help`, else `{ kind: 'run', command, flags, positionals }`
 * where `flags` is typed by the command's spec. Errors are ArgumentError (unknown command or flag,
 * malformed or missing value) or OutOfRangeError (value outside its bounds), each naming the flag,
 * the expectation and the value.
 *
 * ```ts
 * const app = { name: 'tenzo-train', description: '...', commands: { mnist: defineCommand({ ... }) } };
 * const r = parseArgs(process.argv.slice(2), app);
 * if (r.kind === 'help') { console.log(r.text); process.exit(0); }
 * if (r.command === 'mnist') train(r.flags.epochs, r.flags.seed);
 * ```
 */
export function parseArgs<const C extends Readonly<Record<string, CommandSpec>>>(
  argv: readonly string[],
  app: AppSpec<C>,
): ParsedCommand<C> | HelpRequest {
  checkArgv('parseArgs', argv);
  checkObject('parseArgs: app', app);
  checkObject('parseArgs: app.commands', app.commands);
  const commands = Object.keys(app.commands);
  const first = argv[0];
  if ((first === '--version' || first === '-V') && app.version !== undefined)
    return { kind: 'help', text: `${app.name} ${app.version}` };
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && argv[1] !== undefined && argv[1] in app.commands) {
      return { kind: 'help', text: formatCommandHelp(app, argv[1], app.commands[argv[1]]!) };
    }
    if (first === undefined) {
      throw new ArgumentError(
        `command: expected one of ${commands.map((c) => `'${c}'`).join(', ')}, got nothing (see --help)`,
      );
    }
    return { kind: 'help', text: formatAppHelp(app) };
  }
  const cmd = Object.hasOwn(app.commands, first) ? app.commands[first] : undefined;
  if (!cmd) {
    const hint = closest(first, commands);
    throw new ArgumentError(
      `command: expected one of ${commands.map((c) => `'${c}'`).join(', ')}, got ${describeValue(first)}${hint ? `; did you mean '${hint}'?` : ''}`,
    );
  }
  const r = parseCommand(argv.slice(1), app, first, cmd);
  if ('kind' in r) return r;
  return { kind: 'run', command: first, flags: r.flags, positionals: r.positionals } as ParsedCommand<C>;
}

/** argv: an array of strings (what process.argv.slice(2) is). */
function checkArgv(op: string, argv: readonly string[]): void {
  checkArray(`${op}: argv`, argv).forEach((a, i) => {
    checkString(`${op}: argv[${i}]`, a);
  });
}
