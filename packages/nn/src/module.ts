import {
  ArgumentError,
  checkObject,
  describeValue,
  formatShape,
  NonFiniteError,
  ShapeError,
} from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';
import type { Parameter } from './parameter.js';

/**
 * Base class of layers and models, after PyTorch's nn.Module: parameters and submodules are
 * registered under names, giving dotted paths ("0.weight") that state dicts and safetensors
 * files use, and a train/eval switch that layers such as Dropout consult.
 *
 * Module itself declares no `forward`: ordinary layers have a synchronous
 * `forward(x: Tensor): Tensor` (see `Layer`), while a physical layer's forward awaits its device
 * and returns a Promise.
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, Parameter>();
  private readonly children = new Map<string, Module>();
  private readonly buffers = new Map<string, Tensor>();

  /** Registers a parameter under `name` and returns it. */
  protected registerParameter(name: string, p: Parameter): Parameter {
    this.checkName(name);
    this.params.set(name, p);
    return p;
  }

  /** Registers a non-trainable tensor that is saved with the state dict (running statistics, masks). */
  protected registerBuffer(name: string, t: Tensor): Tensor {
    this.checkName(name);
    this.buffers.set(name, t);
    return t;
  }

  /**
   * Registers a submodule under `name`, so its parameters and buffers join this module's (paths `name.…`).
   * @throws ArgumentError when the name is empty, contains '.', or is taken
   */
  protected registerModule<M extends Module>(name: string, m: M): M {
    this.checkName(name);
    this.children.set(name, m);
    return m;
  }

  private checkName(name: string): void {
    if (!name || name.includes('.'))
      throw new ArgumentError(`Module: name expected a non-empty string without '.', got '${name}'`);
    if (this.params.has(name) || this.children.has(name) || this.buffers.has(name)) {
      throw new ArgumentError(`Module: name '${name}' is already registered`);
    }
  }

  /** [path, parameter] for this module and all submodules, depth first. */
  namedParameters(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [n, p] of this.params) out.push([prefix + n, p]);
    for (const [n, m] of this.children) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** Every trainable parameter of this module and its submodules, depth first. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** [path, buffer] for this module and all submodules, depth first. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, b] of this.buffers) out.push([prefix + n, b]);
    for (const [n, m] of this.children) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** [path, module] for this module ('' or the prefix) and all submodules, depth first. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix.replace(/\.$/, ''), this]];
    for (const [n, m] of this.children) out.push(...m.namedModules(`${prefix}${n}.`));
    return out;
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }

  /** Sets training mode (`mode` true) or evaluation mode on this module and every submodule; returns this. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /**
   * Sets evaluation mode on this module and every submodule (dropout off, running statistics used);
   * returns this.
   */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Parameters and buffers by dotted path (tensors share storage with the module). */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copies values from `state` into this module's parameters and buffers. With `strict`
   * (default) missing and unexpected keys are errors; shapes and dtypes must always match.
   */
  loadStateDict(
    state: Record<string, Tensor>,
    opts: { strict?: boolean } = {},
  ): { missing: string[]; unexpected: string[] } {
    checkObject('loadStateDict: state', state);
    checkObject('loadStateDict: opts', opts);
    if (opts.strict !== undefined && typeof opts.strict !== 'boolean')
      throw new ArgumentError(`loadStateDict: strict expected a boolean, got ${describeValue(opts.strict)}`);
    const strict = opts.strict ?? true;
    const own = this.stateDict();
    const missing = Object.keys(own).filter((k) => !(k in state));
    const unexpected = Object.keys(state).filter((k) => !(k in own));
    if (strict && (missing.length > 0 || unexpected.length > 0)) {
      throw new ArgumentError(
        `loadStateDict: state does not match the module: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
      );
    }
    for (const [k, target] of Object.entries(own)) {
      const src = state[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor))
        throw new ArgumentError(`loadStateDict: '${k}' expected a Tensor, got ${describeValue(src)}`);
      if (
        src.dtype !== target.dtype ||
        src.size !== target.size ||
        src.shape.join() !== target.shape.join()
      ) {
        throw new ShapeError(
          `loadStateDict: '${k}' expected ${target.dtype} ${formatShape(target.shape)}, got ${src.dtype} ${formatShape(src.shape)}`,
        );
      }
      // a NaN or ±∞ weight would poison every forward pass after it
      const bad = Array.prototype.findIndex.call(src.data, (v: number) => !Number.isFinite(v));
      if (bad >= 0)
        throw new NonFiniteError(`loadStateDict: '${k}' holds ${src.data[bad]} at flat index ${bad}`);
    }
    // every entry checked before any is copied: a refused state leaves the module as it was
    for (const [k, target] of Object.entries(own)) {
      const src = state[k];
      if (src !== undefined) target.data.set(src.data);
    }
    return { missing, unexpected };
  }
}

/** A module with a synchronous forward pass — what `Sequential` chains. */
export type Layer = Module & {
  /** the layer's output for x (each layer documents its shapes) */
  forward(x: Tensor): Tensor;
};
