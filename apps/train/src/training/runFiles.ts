import { join } from 'node:path';
import { writeReport, writeSvg } from '@tenzo/cli/node';
import { saveSafetensors } from '@tenzo/nn/node';
import type { Tensor } from '@tenzo/tensor';

/**
 * Writes a run's files under `out` — report.json, the plot (`plot.name`), the model as
 * safetensors in PyTorch layout (with `model.metadata` in the header) — and the report again to
 * `--json`; prints "wrote …" with `before` (files written earlier) first. Returns the paths.
 */
export function writeRunFiles(o: {
  out: string;
  json?: string | undefined;
  report: object;
  plot: { name: string; svg: string };
  model?: { state: Record<string, Tensor>; metadata?: Record<string, string> };
  before?: string[];
}): string[] {
  const files = [join(o.out, 'report.json'), join(o.out, o.plot.name)];
  writeReport(files[0]!, o.report);
  writeSvg(files[1]!, o.plot.svg);
  if (o.model) {
    files.push(join(o.out, 'model.safetensors'));
    saveSafetensors(files[2]!, o.model.state, { format: 'pt', ...o.model.metadata });
  }
  if (o.json) {
    writeReport(o.json, o.report);
    files.push(o.json);
  }
  console.log(`wrote ${[...(o.before ?? []), ...files].join(', ')}`);
  return files;
}
