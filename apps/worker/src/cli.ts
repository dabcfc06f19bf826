import { createRequire } from 'node:module';
import { parseCommand } from '@tenzo/cli';
import { exitOnError } from '@tenzo/cli/node';
import { ArgumentError } from '@tenzo/core';
import { runWork, workCommand } from './workCommand.js';

/** this package's version, for --version (package.json sits one folder above src/ and dist/) */
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const app = { name: 'tenzo-worker' } as const;

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    console.log(`tenzo-worker ${version}`);
    return;
  }
  const parsed = parseCommand(argv, app, 'tenzo-worker', workCommand);
  if ('kind' in parsed) {
    console.log(parsed.text);
    return;
  }
  if (parsed.flags.queue === undefined)
    throw new ArgumentError('--queue: expected a queue name, got nothing');
  if (parsed.flags.module === undefined)
    throw new ArgumentError('--module: expected a module path, got nothing');
  await runWork(parsed.flags);
}

main(process.argv.slice(2)).catch(exitOnError('tenzo-worker'));
