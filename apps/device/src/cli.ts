import { parseArgs } from '@tenzo/cli';
import { TenzoError } from '@tenzo/core';
import { runServe, serveCommand } from './commands/serve.js';

const app = {
  name: 'tenzo-device',
  description: 'Serve tenzo device simulators over the remote device protocol (docs/device-protocol.md).',
  commands: { serve: serveCommand },
} as const;

async function main(argv: string[]): Promise<void> {
  const parsed = parseArgs(argv, app);
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    return;
  }
  if (parsed.command === 'serve') await runServe(parsed.flags);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof TenzoError) {
    console.error(`tenzo-device: ${err.message}`);
    process.exit(2);
  }
  throw err;
});
