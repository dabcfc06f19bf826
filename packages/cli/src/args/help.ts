import { checkObject } from '@tenzo/core';
import type { AppSpec, CommandSpec, FlagSpec } from './spec.js';
import { kebabCase } from './spec.js';

function metaOf(spec: FlagSpec): string {
  if (spec.meta) return spec.meta;
  switch (spec.type) {
    case 'number':
      return 'x';
    case 'integer':
      return 'int';
    case 'string':
      return 'text';
    case 'boolean':
      return '';
    case 'enum':
      return [...spec.choices, ...(spec.prefixes ?? []).map((p) => `${p}…`)].join('|');
    case 'range':
      return 'a..b';
  }
}

function details(spec: FlagSpec): string {
  const d: string[] = [];
  if ('min' in spec && spec.min !== undefined) d.push(`>= ${spec.min}`);
  if ('gt' in spec && spec.gt !== undefined) d.push(`> ${spec.gt}`);
  if ('max' in spec && spec.max !== undefined) d.push(`<= ${spec.max}`);
  if ('lt' in spec && spec.lt !== undefined) d.push(`< ${spec.lt}`);
  if (spec.default !== undefined && !(spec.type === 'boolean' && spec.default === false)) {
    d.push(`default ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)}`);
  }
  if (spec.required) d.push('required');
  return d.length ? ` (${d.join(', ')})` : '';
}

function optionLines(cmd: CommandSpec): string[] {
  const rows: [string, string][] = Object.entries(cmd.flags).map(([key, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const meta = metaOf(spec);
    // A boolean that defaults to true is only ever switched off, so show how.
    const name =
      spec.type === 'boolean' && spec.default === true ? `--[no-]${kebabCase(key)}` : `--${kebabCase(key)}`;
    return [`${short}${name}${meta ? ` <${meta}>` : ''}`, `${spec.help}${details(spec)}`];
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.min(Math.max(...rows.map(([l]) => l.length)), 34);
  return rows.map(([l, r]) =>
    l.length > width ? `  ${l}\n  ${' '.repeat(width)}  ${r}` : `  ${l.padEnd(width)}  ${r}`,
  );
}

/** `--help` text for one command. */
export function formatCommandHelp(app: Pick<AppSpec, 'name'>, name: string, cmd: CommandSpec): string {
  checkObject('formatCommandHelp: app', app);
  checkObject('formatCommandHelp: cmd', cmd);
  checkObject('formatCommandHelp: cmd.flags', cmd.flags);
  const pos = cmd.positionals;
  const posUsage = pos ? ` ${(pos.min ?? 0) > 0 ? `<${pos.name}...>` : `[${pos.name}...]`}` : '';
  const lines = [
    `Usage: ${app.name} ${name} [options]${posUsage}`,
    '',
    cmd.description,
    '',
    'Options:',
    ...optionLines(cmd),
  ];
  if (pos?.help) lines.push('', `Arguments:`, `  ${pos.name}  ${pos.help}`);
  return lines.join('\n');
}

/** `--help` text for the app: its commands, one line each. */
export function formatAppHelp(app: AppSpec): string {
  checkObject('formatAppHelp: app', app);
  checkObject('formatAppHelp: app.commands', app.commands);
  const names = Object.keys(app.commands);
  const width = Math.max(...names.map((n) => n.length));
  return [
    `Usage: ${app.name} <command> [options]`,
    '',
    app.description,
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${app.commands[n]!.description}`),
    '',
    `Run '${app.name} <command> --help' for the options of a command.`,
  ].join('\n');
}
