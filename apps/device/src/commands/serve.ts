import { defineCommand, type FlagValues, formatTable } from '@tenzo/cli';
import { progressBar, writeReport } from '@tenzo/cli/node';
import { ArgumentError } from '@tenzo/core';
import { DEFAULT_LIMITS } from '@tenzo/devices';
import { type DeviceServer, type ServerStats, startDeviceServer } from '../server/deviceServer.js';
import { buildSimulator, initSegments, SERVED_DEVICES } from '../server/simulators.js';

export const serveCommand = defineCommand({
  description:
    'serve a simulated device over the tenzo remote device protocol (HTTP/1.1, docs/device-protocol.md) until SIGINT/SIGTERM, with optional seeded fault injection',
  flags: {
    device: { type: 'enum', choices: SERVED_DEVICES, default: 'slm', help: 'the simulator to serve' },
    dIn: { type: 'integer', default: 64, min: 1, max: 65_536, help: 'device inputs d_in' },
    dOut: { type: 'integer', default: 64, min: 1, max: 65_536, help: 'device outputs d_out' },
    host: {
      type: 'string',
      default: '127.0.0.1',
      help: 'address to bind (anything but loopback needs --token-env)',
    },
    port: { type: 'integer', default: 0, min: 0, max: 65_535, help: 'port to bind (0: a free one, printed)' },
    tokenEnv: {
      type: 'string',
      meta: 'NAME',
      help: 'environment variable holding the bearer token clients must send',
    },
    maxBodyBytes: {
      type: 'integer',
      default: DEFAULT_LIMITS.maxBodyBytes,
      min: 1,
      help: 'largest request body (413 above)',
    },
    maxRows: {
      type: 'integer',
      default: DEFAULT_LIMITS.maxRows,
      min: 1,
      help: 'largest batch of one query (413 above)',
    },
    failRate: { type: 'number', default: 0, min: 0, max: 1, help: 'fault: share of queries answered 503' },
    nanRate: {
      type: 'number',
      default: 0,
      min: 0,
      max: 1,
      help: 'fault: share of output rows replaced by NaN',
    },
    delay: {
      type: 'number',
      default: 0,
      min: 0,
      max: 600_000,
      meta: 'ms',
      help: 'fault: each query waits U[0, ms) first',
    },
    hangRate: { type: 'number', default: 0, min: 0, max: 1, help: 'fault: share of queries never answered' },
    drift: {
      type: 'number',
      default: 0,
      help: 'fault: output gain drift per call (k-th query scaled by 1 + drift·k)',
    },
    dropConnectionEvery: {
      type: 'integer',
      default: 0,
      min: 0,
      meta: 'n',
      help: 'fault: every n-th query is applied, then its connection destroyed',
    },
  },
});

export type ServeFlags = FlagValues<typeof serveCommand.flags>;

/** The summary `--json` holds and the closing table shows. */
export interface ServeSummary {
  device: string;
  url: string;
  seed: number;
  seconds: number;
  stats: ServerStats;
}

/** Starts the server the flags describe (the token read from the named environment variable). */
export async function startFromFlags(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeviceServer> {
  let token: string | undefined;
  if (flags.tokenEnv !== undefined) {
    token = env[flags.tokenEnv];
    if (token === undefined || token.length === 0)
      throw new ArgumentError(`--token-env: environment variable ${flags.tokenEnv} is not set or empty`);
  }
  const device = buildSimulator(flags.device, flags.dIn, flags.dOut, flags.seed);
  return startDeviceServer({
    device,
    init: initSegments(device),
    host: flags.host,
    port: flags.port,
    ...(token === undefined ? {} : { token }),
    maxBodyBytes: flags.maxBodyBytes,
    maxRows: flags.maxRows,
    faults: {
      failRate: flags.failRate,
      nanRate: flags.nanRate,
      delayMs: flags.delay,
      hangRate: flags.hangRate,
      drift: flags.drift,
      dropConnectionEvery: flags.dropConnectionEvery,
      seed: flags.seed,
    },
  });
}

/** Resolves on the first SIGINT or SIGTERM (how `serve` is stopped). */
export function shutdownSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/**
 * `tenzo-device serve`: prints the URL, shows queries as they come, and when `until` resolves
 * (SIGINT/SIGTERM from the CLI) closes every connection, prints a table and writes `--json`.
 */
export async function runServe(
  flags: ServeFlags,
  until: (server: DeviceServer) => Promise<void> = shutdownSignal,
): Promise<ServeSummary> {
  const t0 = Date.now();
  const server = await startFromFlags(flags);
  const name = `${flags.device} ${flags.dIn}x${flags.dOut}`;
  console.log(`tenzo-device: serving ${name} at ${server.url} (port ${server.port}); Ctrl-C to stop`);
  const bar = progressBar({ label: 'serve', unit: 'queries' });
  let shown = 0;
  const ticker = setInterval(() => {
    const s = server.stats();
    bar.tick(s.queries - shown, { last: `${s.requests} requests, ${s.replayed} replayed` });
    shown = s.queries;
  }, 500);
  await until(server);
  clearInterval(ticker);
  bar.done();
  const stats = server.stats();
  await server.close();
  const summary: ServeSummary = {
    device: name,
    url: server.url,
    seed: flags.seed,
    seconds: (Date.now() - t0) / 1000,
    stats,
  };
  console.log(formatTable(summaryRows(stats)));
  if (flags.json) {
    writeReport(flags.json, summary);
    console.log(`wrote ${flags.json}`);
  }
  return summary;
}

function summaryRows(s: ServerStats): { counter: string; value: number }[] {
  return [
    { counter: 'requests', value: s.requests },
    { counter: 'queries applied', value: s.queries },
    { counter: 'rows evaluated', value: s.rows },
    { counter: 'retries replayed', value: s.replayed },
    { counter: 'injected 503', value: s.faults.failed },
    { counter: 'injected NaN rows', value: s.faults.nanRows },
    { counter: 'injected hangs', value: s.faults.hung },
    { counter: 'dropped connections', value: s.faults.dropped },
    ...Object.entries(s.byStatus).map(([status, n]) => ({ counter: `HTTP ${status}`, value: n })),
  ];
}
