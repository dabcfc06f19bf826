import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluationError } from '@tenzo/core';
import { remoteDevice } from '@tenzo/devices';
import { readCheckpoint } from '@tenzo/train/node';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeviceServer, startDeviceServer } from '../server/deviceServer.js';
import { buildSimulator, initSegments } from '../server/simulators.js';
import { hybridRun } from './hybridRun.test-util.js';

const started: DeviceServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

async function serve(faults: Parameters<typeof startDeviceServer>[0]['faults'] = {}) {
  const device = buildSimulator('slm', 16, 16, 0);
  const s = await startDeviceServer({ device, init: initSegments(device), faults });
  started.push(s);
  return s;
}

/** short timeouts so a hung request costs 400 ms, quick backoff */
const client = { timeoutMs: 400, retries: 4, backoff: { baseMs: 2, maxMs: 20, jitter: 0.5 }, seed: 0 };

const sum = (records: readonly { deviceFaults?: Readonly<Record<string, number>> }[], key: string) =>
  records.reduce((s, r) => s + (r.deviceFaults?.[key] ?? 0), 0);

describe('hybrid training against tenzo-device with injected faults (issue #21)', () => {
  it('a 300-step run survives 1% failed queries, 0.1% NaN rows, delays up to 20 ms, 0.1% hung requests and 2 dropped connections', async () => {
    const cleanServer = await serve();
    const clean = await hybridRun(await remoteDevice({ url: cleanServer.url, ...client }));
    const cleanQueries = cleanServer.stats().queries;
    expect(clean.history.every((h) => h.skippedSteps === undefined && h.deviceFaults === undefined)).toBe(
      true,
    );

    const server = await serve({
      failRate: 0.01,
      nanRate: 0.001,
      delayMs: 20,
      hangRate: 0.001,
      dropConnectionEvery: Math.floor(cleanQueries / 2.5),
      seed: 1,
    });
    const device = await remoteDevice({ url: server.url, ...client });
    const before = { ...device.ledger.snapshot() };
    const faulty = await hybridRun(device);
    const stats = server.stats();
    const ledger = device.ledger;
    const faults = faulty.layer.faults;
    const report = {
      cleanAccuracy: clean.accuracy,
      faultyAccuracy: faulty.accuracy,
      cleanQueries,
      server: { queries: stats.queries, ...stats.faults, byStatus: stats.byStatus },
      ledger: { retries: ledger.retries, timeouts: ledger.timeouts, rejected: ledger.rejectedResponses },
      layer: { rowRequeries: faults.rowRequeries, queryRetries: faults.queryRetries },
      skippedSteps: faulty.history.reduce((s, h) => s + (h.skippedSteps ?? 0), 0),
      saves: faulty.saves,
    };
    console.log(`fault run: ${JSON.stringify(report)}`);

    // every fault kind happened
    expect(stats.faults.failed).toBeGreaterThan(0);
    expect(stats.faults.nanRows).toBeGreaterThan(0);
    expect(stats.faults.hung).toBeGreaterThan(0);
    expect(stats.faults.dropped).toBe(2);
    // the run completed, lost no checkpoint (every 50 steps and each epoch's end) and the last loads
    expect(faulty.history).toHaveLength(3);
    expect(faulty.saves).toBe(300 / 50 + 3);
    const last = readCheckpoint(faulty.checkpointPath);
    expect(last.position).toMatchObject({ epoch: 3, globalStep: 300 });
    // within a point of the clean run (retries and re-queried rows give the device's exact answers)
    expect(Math.abs(faulty.accuracy - clean.accuracy)).toBeLessThanOrEqual(0.01);
    // the client saw every fault: each 503, hang and drop cost at least one retry, hangs a timeout
    expect(ledger.retries).toBeGreaterThanOrEqual(
      stats.faults.failed + stats.faults.hung + stats.faults.dropped,
    );
    expect(ledger.timeouts).toBeGreaterThanOrEqual(stats.faults.hung);
    expect(ledger.rejectedResponses).toBeGreaterThan(0);
    expect(faults.rowRequeries).toBeGreaterThanOrEqual(ledger.rejectedResponses);
    // and the report counts exactly what the ledger and the layer counted during training
    expect(sum(faulty.history, 'retries')).toBe(ledger.retries - before.retries);
    expect(sum(faulty.history, 'timeouts')).toBe(ledger.timeouts - before.timeouts);
    expect(sum(faulty.history, 'rejectedResponses')).toBe(
      ledger.rejectedResponses - before.rejectedResponses,
    );
    expect(sum(faulty.history, 'rowRequeries')).toBe(faults.rowRequeries);
    expect(report.skippedSteps).toBe(faulty.log.filter((l) => / skipped, /.test(l)).length);
  }, 120_000);

  it('stops with a one-line error when the device is gone; the checkpoint on disk stays valid and resumes', async () => {
    const server = await serve();
    const device = await remoteDevice({ url: server.url, ...client, retries: 1 });
    const checkpointPath = join(mkdtempSync(join(tmpdir(), 'tenzo-gone-')), 'checkpoint.safetensors');
    const err = await hybridRun(device, {
      epochs: 1,
      checkpointPath,
      onStep: async (step) => {
        if (step === 60) await server.close();
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(EvaluationError);
    expect(err.message).not.toMatch(/\n/);
    expect(err.message).toMatch(
      /^Trainer\.fit: the device failed 4 steps in a row .*; stopped, the last checkpoint is intact$/,
    );
    expect(readCheckpoint(checkpointPath).position).toMatchObject({
      epoch: 0,
      stepInEpoch: 50,
      globalStep: 50,
    });
    // the device is back (a new server, same simulator): the run resumes there and finishes the epoch
    const back = await serve();
    const again = await hybridRun(await remoteDevice({ url: back.url, ...client }), {
      epochs: 1,
      checkpointPath,
    });
    expect(again.history).toHaveLength(1);
    expect(again.accuracy).toBeGreaterThan(0.8);
    // only the 50 remaining steps were trained (a fresh 100-step epoch asks ~700 queries)
    expect(back.stats().queries).toBeLessThan(500);
  }, 60_000);

  it('output drift of 1e-4 per query is detected by the probe set: exact rebuilds, warnings, counted in the report', async () => {
    const server = await serve({ drift: 1e-4 });
    const device = await remoteDevice({ url: server.url, ...client });
    const run = await hybridRun(device, {
      epochs: 1,
      layer: { drift: { every: 10, threshold: 0.02, probes: 4 } },
    });
    const rebuilds = run.layer.faults.driftRebuilds;
    console.log(
      `drift run: ${run.layer.faults.driftChecks} checks, ${rebuilds} rebuilds, accuracy ${run.accuracy}, ${run.log.length} warnings`,
    );
    expect(rebuilds).toBeGreaterThan(0);
    expect(run.history[0]!.deviceFaults).toMatchObject({
      driftChecks: run.layer.faults.driftChecks,
      driftRebuilds: rebuilds,
    });
    expect(run.log.filter((l) => /output drift .* surrogate rebuilt exactly/.test(l))).toHaveLength(rebuilds);
    // each rebuild is d_in = 16 identity queries on top of the first build
    expect(run.layer.queries.rebuild).toBe(16 * (1 + rebuilds));
  }, 60_000);
});
