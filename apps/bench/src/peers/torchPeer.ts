import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BackendError } from '@tenzo/core';

/** The PyTorch peer of the hybrid step: apps/bench/scripts, found from dist/ or src/peers/. */
export const TORCH_SCRIPT = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'scripts'), join(here, '..', '..', 'scripts')].map((d) =>
    join(d, 'hybrid_step_torch.py'),
  );
  return candidates.find((f) => existsSync(f)) ?? candidates[0]!;
})();

/** What to print when no python has torch (the peer is never a dependency of tenzo). */
export const TORCH_MISSING = 'peer missing: python3-torch (apt-get install python3-torch)';

/**
 * A python with torch: $TENZO_PYTHON, else `python3` on the PATH, else Debian's /usr/bin/python3
 * (where apt's python3-torch lives when the PATH has another python); null when none has it.
 */
export function torchPython(): string | null {
  const candidates = [process.env.TENZO_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The hybrid step's shape, as the peer's `setup` request takes it. */
export interface TorchStepSetup {
  device: 'slm' | 'mrr' | 'mzi';
  d: number;
  batch: number;
  rank: number;
  samples: number;
  seed: number;
}

export interface TorchPeerOptions {
  /** 'loop': the reference's per-direction ZO loop; 'batched': all directions in one query */
  variant: 'loop' | 'batched';
  /** torch.set_num_threads */
  threads: number;
}

/**
 * scripts/hybrid_step_torch.py in server mode: one long-lived python process answering one JSON
 * line per request. Between requests it blocks on its stdin, so while tenzo is timed it uses no
 * CPU, and interleaved rounds drive it with `time(1)` without paying torch's start-up each time.
 */
export class TorchPeer {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';
  private exited = false;
  /** torch version and thread count, from the peer's hello line */
  hello: { torch: string; threads: number; variant: string } = { torch: '?', threads: 0, variant: '?' };

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly label: string,
  ) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.on('data', (b: Buffer) => {
      this.stderr = (this.stderr + b.toString()).slice(-2000);
    });
    child.on('exit', () => {
      this.exited = true;
    });
    // a python that cannot be started: reported by the next read, which then finds stdout closed
    child.on('error', (err) => {
      this.exited = true;
      this.stderr += String(err);
    });
    // writing to a peer that has died (EPIPE): the next read reports it, with the peer's stderr
    child.stdin.on('error', () => {});
  }

  static async start(python: string, opts: TorchPeerOptions): Promise<TorchPeer> {
    const child = spawn(
      python,
      [TORCH_SCRIPT, '--serve', '--variant', opts.variant, '--threads', String(opts.threads)],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const peer = new TorchPeer(child, `torch ${opts.variant} ×${opts.threads}`);
    peer.hello = (await peer.next()) as TorchPeer['hello'];
    return peer;
  }

  private async next(): Promise<Record<string, unknown>> {
    const line = await this.lines.next();
    if (line.done) {
      throw new BackendError(
        `TorchPeer (${this.label}): the python process ended${this.stderr ? `: ${this.stderr.trim()}` : ''}`,
      );
    }
    const reply = JSON.parse(line.value) as Record<string, unknown>;
    if (typeof reply.error === 'string') throw new BackendError(`TorchPeer (${this.label}): ${reply.error}`);
    return reply;
  }

  /** One request, one reply (the peer answers in order; callers await each before the next). */
  async request(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.exited) throw new BackendError(`TorchPeer (${this.label}): the python process has ended`);
    this.child.stdin.write(`${JSON.stringify(req)}\n`);
    return this.next();
  }

  /** Builds the layer state (ω at its init, surrogate, X, Ȳ) for one case; returns ω's length. */
  async setup(s: TorchStepSetup): Promise<number> {
    return (await this.request({ op: 'setup', ...s })).paramSize as number;
  }

  /** Runs `steps` hybrid steps; their times in ms, measured in python. */
  async time(steps = 1): Promise<number[]> {
    return (await this.request({ op: 'time', steps })).ms as number[];
  }

  /** The peer's device output at ω for the rows of x (single query, and the batched query's path). */
  async query(omega: Float64Array, x: Float64Array): Promise<{ y: number[]; yMany: number[] }> {
    const r = await this.request({ op: 'query', omega: [...omega], x: [...x] });
    return { y: r.y as number[], yMany: r.yMany as number[] };
  }

  /** Both ZO estimators on the same directions (rows of `directions`, M×p). */
  async zo(
    omega: Float64Array,
    x: Float64Array,
    ybar: Float64Array,
    directions: Float64Array,
  ): Promise<{ loop: number[]; batched: number[] }> {
    const r = await this.request({
      op: 'zo',
      omega: [...omega],
      x: [...x],
      ybar: [...ybar],
      directions: [...directions],
    });
    return { loop: r.loop as number[], batched: r.batched as number[] };
  }

  /** Asks the process to exit and waits for it. */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end(`${JSON.stringify({ op: 'exit' })}\n`);
    await done;
  }
}
