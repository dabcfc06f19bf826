import { createRequire } from 'node:module';
import { parseArgs } from '@tenzo/cli';
import { checkOutputs, exitOnError } from '@tenzo/cli/node';
import { runServe, serveCommand } from './commands/serve.js';

/** this package's version, for --version (package.json sits one folder above src/ and dist/) */
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const app = {
  version,
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
  // output paths are checked before any work: a long run never ends by losing its results
  checkOutputs(parsed.flags);
  if (parsed.command === 'serve') await runServe(parsed.flags);
}

main(process.argv.slice(2)).catch(exitOnError('tenzo-device'));
