import { FormatError, Rng } from '@tenzo/core';
import type { SafetensorsFile } from '@tenzo/nn';
import { MtpLM, type MtpLMConfig } from './mtpLM.js';

/**
 * The MtpLM a saved model file holds, as `tenzo-train lm` writes it: the model's config as JSON in
 * the metadata entry `config`, every parameter under its state-dict path (trunk.*, heads.*).
 * Loaded strictly (a missing, extra or mis-shaped tensor is an error) and put in eval mode, e.g.
 * to decode with, or as the teacher of distillation. Pass the parsed file (`loadSafetensors(path)`
 * of `@tenzo/nn/node`, or `parseSafetensors(bytes)` in a browser) and its name for the messages.
 *
 * @throws FormatError without a JSON `config` entry; ArgumentError (from MtpLM and loadStateDict)
 *   for a config or tensors that do not make a model
 */
export function mtpFromSafetensors(file: SafetensorsFile, source = 'model.safetensors'): MtpLM {
  const raw = file?.metadata?.config;
  if (typeof raw !== 'string')
    throw new FormatError(
      `mtpFromSafetensors: ${source}: expected a 'config' metadata entry (a model saved by tenzo-train lm), got ${raw === undefined ? 'none' : typeof raw}`,
    );
  let config: MtpLMConfig;
  try {
    config = JSON.parse(raw) as MtpLMConfig;
  } catch (cause) {
    throw new FormatError(
      `mtpFromSafetensors: ${source}: metadata 'config' expected JSON, got ${JSON.stringify(raw.slice(0, 40))}`,
      { cause },
    );
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new FormatError(
      `mtpFromSafetensors: ${source}: metadata 'config' expected a JSON object, got ${raw.slice(0, 40)}`,
    );
  // the initial draw is overwritten by the file: any seed builds the same model
  const model = new MtpLM(config, new Rng(0));
  model.loadStateDict(file.tensors);
  model.eval();
  return model;
}
