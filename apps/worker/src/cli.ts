import { parseCommand } from '@tenzo/cli';
import { ArgumentError, TenzoError } from '@tenzo/core';
import { runWork, workCommand } from './workCommand.js';

const app = { name: 'tenzo-worker' } as const;

async function main(argv: string[]): Promise<void> {
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

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof TenzoError) {
    console.error(`tenzo-worker: ${err.message}`);
    process.exit(2);
  }
  throw err;
});
