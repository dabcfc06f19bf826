import { existsSync } from 'node:fs';
import { FormatError } from '@tenzo/core';
import type { Module, Optimizer, OptimizerState } from '@tenzo/nn';
import { loadSafetensors, saveSafetensors } from '@tenzo/nn/node';
import type { Tensor } from '@tenzo/tensor';

const META_KEY = 'tenzo.checkpoint';
const MODEL = 'model.';
const OPTIM = 'optim.';

/**
 * A training checkpoint in one .safetensors file (so it is written atomically as a whole):
 * model tensors under "model.", optimizer slots under "optim.", and everything else — epoch,
 * history, RNG states, config — as JSON in the file's metadata. PyTorch users can open the
 * weights with `safetensors.torch.load_file`.
 */
export interface CheckpointMeta<M> {
  version: 1;
  /** per named optimizer (e.g. 'digital', 'device') */
  optimizers: Record<string, OptimizerState['meta']>;
  state: M;
}

export function saveCheckpoint<M>(
  path: string,
  model: Module,
  optimizers: Record<string, Optimizer>,
  state: M,
): void {
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(model.stateDict())) tensors[MODEL + k] = t;
  const metas: Record<string, OptimizerState['meta']> = {};
  for (const [name, optimizer] of Object.entries(optimizers)) {
    const opt = optimizer.stateDict();
    for (const [k, t] of Object.entries(opt.slots)) tensors[`${OPTIM}${name}.${k}`] = t;
    metas[name] = opt.meta;
  }
  const meta: CheckpointMeta<M> = { version: 1, optimizers: metas, state };
  saveSafetensors(path, tensors, { [META_KEY]: JSON.stringify(meta), format: 'pt' });
}

/** Restores model and optimizers in place and returns the saved state; null if there is no file. */
export function loadCheckpoint<M>(
  path: string,
  model: Module,
  optimizers: Record<string, Optimizer>,
): M | null {
  if (!existsSync(path)) return null;
  const { tensors, metadata } = loadSafetensors(path);
  const raw = metadata[META_KEY];
  if (raw === undefined) throw new FormatError(`${path}: not a tenzo checkpoint (no '${META_KEY}' metadata)`);
  let meta: CheckpointMeta<M>;
  try {
    meta = JSON.parse(raw) as CheckpointMeta<M>;
  } catch (cause) {
    throw new FormatError(`${path}: checkpoint metadata is not valid JSON`, { cause });
  }
  if (meta.version !== 1)
    throw new FormatError(`${path}: checkpoint version expected 1, got ${String(meta.version)}`);
  const modelState: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(tensors))
    if (k.startsWith(MODEL)) modelState[k.slice(MODEL.length)] = t;
  model.loadStateDict(modelState);
  for (const [name, optimizer] of Object.entries(optimizers)) {
    const m = meta.optimizers?.[name];
    if (m === undefined) throw new FormatError(`${path}: checkpoint has no state for optimizer '${name}'`);
    const prefix = `${OPTIM}${name}.`;
    const slots: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith(prefix)) slots[k.slice(prefix.length)] = t;
    optimizer.loadStateDict({ meta: m, slots });
  }
  return meta.state;
}
