import { createRequire } from 'node:module';
import { parseArgs } from '@tenzo/cli';
import { checkOutputs, exitOnError } from '@tenzo/cli/node';
import { closeExecutors } from '@tenzo/devices/node';
import { audioCommand, runAudio } from './commands/audio.js';
import { audioSweepCommand, runAudioSweep } from './commands/audioSweep.js';
import { hybridCommand, runHybrid } from './commands/hybrid.js';
import { lmCommand, runLm } from './commands/lm.js';
import { lmHybridCommand, runLmHybrid } from './commands/lmHybrid.js';
import { runLmHybridSeeds } from './commands/lmHybridSeeds.js';
import { mnistCommand, runMnist } from './commands/mnist.js';
import { runSweep, sweepCommand } from './commands/sweep.js';

/** this package's version, for --version (package.json sits one folder above src/ and dist/) */
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const app = {
  version,
  name: 'tenzo-train',
  description:
    'Train tenzo networks from the command line: progress bars, a final table, JSON reports and SVG plots.',
  commands: {
    mnist: mnistCommand,
    audio: audioCommand,
    'audio-sweep': audioSweepCommand,
    hybrid: hybridCommand,
    sweep: sweepCommand,
    lm: lmCommand,
    'lm-hybrid': lmHybridCommand,
  },
} as const;

async function main(argv: string[]): Promise<void> {
  const parsed = parseArgs(argv, app);
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    return;
  }
  // output paths are checked before any work: a long run never ends by losing its results
  checkOutputs(parsed.flags);
  if (parsed.command === 'mnist') await runMnist(parsed.flags);
  if (parsed.command === 'audio') await runAudio(parsed.flags);
  if (parsed.command === 'audio-sweep') await runAudioSweep(parsed.flags);
  if (parsed.command === 'hybrid') await runHybrid(parsed.flags);
  if (parsed.command === 'sweep') await runSweep(parsed.flags);
  if (parsed.command === 'lm') await runLm(parsed.flags);
  if (parsed.command === 'lm-hybrid') {
    if (parsed.flags.seeds === undefined) await runLmHybrid(parsed.flags);
    else await runLmHybridSeeds(parsed.flags);
  }
  await closeExecutors();
}

main(process.argv.slice(2)).catch(exitOnError('tenzo-train'));
