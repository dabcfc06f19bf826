import {
  ArgumentError,
  describeValue,
  FormatError,
  Rng,
  type RngState,
  ShapeError,
  type Stateful,
  type StateRecord,
  type StateValue,
} from '@tenzo/core';
import type { Module, Optimizer } from '@tenzo/nn';
import { fromTypedArray, type Tensor } from '@tenzo/tensor';

// The checkpoint contract for the things tenzo already has: modules, optimizers and generators.

/** `state[key]` as an object, or a FormatError naming `fn` and the key. */
export function recordField(fn: string, state: StateValue, key: string): StateRecord {
  const v = isRecord(state) ? state[key] : undefined;
  if (!isRecord(v)) throw new FormatError(`${fn}: state.${key} expected an object, got ${describe(v)}`);
  return v;
}

/** `state[key]` as a finite number, or a FormatError. */
export function numberField(fn: string, state: StateValue, key: string): number {
  const v = isRecord(state) ? state[key] : undefined;
  if (typeof v !== 'number')
    throw new FormatError(`${fn}: state.${key} expected a number, got ${describe(v)}`);
  return v;
}

/** Whether a state value is a plain record (an object that is not an array or a typed array). */
export function isRecord(v: unknown): v is StateRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return describeValue(v);
}

/**
 * A module's parameters and buffers (its `stateDict`) as copies of their data; `load` checks
 * every key, length and precision before writing anything.
 */
export function moduleState(module: Module): Stateful {
  if (typeof (module as Partial<Module> | null)?.stateDict !== 'function')
    throw new ArgumentError(`moduleState: module expected a Module, got ${describe(module)}`);
  return {
    state() {
      const out: Record<string, StateValue> = {};
      for (const [k, t] of Object.entries(module.stateDict())) out[k] = (t.data as Float32Array).slice();
      return out;
    },
    load(state) {
      if (!isRecord(state))
        throw new FormatError(`moduleState.load: state expected an object, got ${describe(state)}`);
      const own = module.stateDict();
      const keys = Object.keys(own);
      const missing = keys.filter((k) => !(k in state));
      const extra = Object.keys(state).filter((k) => !(k in own));
      if (missing.length > 0 || extra.length > 0)
        throw new FormatError(
          `moduleState.load: the state does not match the module: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`,
        );
      for (const k of keys) {
        const t = own[k]!;
        const v = state[k];
        if (!(v instanceof t.data.constructor) || (v as Float32Array).length !== t.size)
          throw new ShapeError(
            `moduleState.load: '${k}' expected a ${t.data.constructor.name} of ${t.size} values, got ${describe(v)}${ArrayBuffer.isView(v) ? ` of ${(v as Float32Array).length}` : ''}`,
          );
      }
      for (const k of keys) {
        const a = state[k] as Float32Array;
        for (let i = 0; i < a.length; i++)
          if (!Number.isFinite(a[i]!))
            throw new FormatError(`moduleState.load: '${k}'[${i}] is ${a[i]}, expected a finite value`);
      }
      for (const k of keys) own[k]!.data.set(state[k] as Float32Array);
    },
  };
}

/** An optimizer's kind, learning rate, step count and moment slots. */
export function optimizerState(optimizer: Optimizer): Stateful {
  const fn = 'optimizerState.load';
  if (typeof (optimizer as Partial<Optimizer> | null)?.stateDict !== 'function')
    throw new ArgumentError(`optimizerState: optimizer expected an Optimizer, got ${describe(optimizer)}`);
  return {
    state() {
      const { meta, slots } = optimizer.stateDict();
      const data: Record<string, StateValue> = {};
      for (const [k, t] of Object.entries(slots)) data[k] = t.data as Float64Array;
      // the slot names as well: a slot missing on load is corruption, not a parameter that was
      // never updated (whose slot does not exist yet)
      return {
        kind: meta.kind,
        lr: meta.lr,
        stepCount: meta.stepCount,
        slotKeys: Object.keys(data),
        slots: data,
      };
    },
    load(state) {
      if (!isRecord(state)) throw new FormatError(`${fn}: state expected an object, got ${describe(state)}`);
      const kind = state.kind;
      if (typeof kind !== 'string')
        throw new FormatError(`${fn}: state.kind expected a string, got ${describe(kind)}`);
      const lr = numberField(fn, state, 'lr');
      const stepCount = numberField(fn, state, 'stepCount');
      if (!Number.isFinite(lr) || lr < 0)
        throw new FormatError(`${fn}: state.lr expected a finite rate >= 0, got ${lr}`);
      if (!Number.isSafeInteger(stepCount) || stepCount < 0)
        throw new FormatError(`${fn}: state.stepCount expected an integer >= 0, got ${stepCount}`);
      const saved = recordField(fn, state, 'slots');
      const keys = state.slotKeys;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string'))
        throw new FormatError(`${fn}: state.slotKeys expected a list of slot names, got ${describe(keys)}`);
      const missing = (keys as string[]).filter((k) => !(k in saved));
      const extra = Object.keys(saved).filter((k) => !(keys as string[]).includes(k));
      if (missing.length > 0 || extra.length > 0)
        throw new FormatError(
          `${fn}: the slots do not match state.slotKeys: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`,
        );
      const slots: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(saved)) {
        if (!(v instanceof Float64Array || v instanceof Float32Array))
          throw new FormatError(`${fn}: slot '${k}' expected a float array, got ${describe(v)}`);
        for (let i = 0; i < v.length; i++)
          if (!Number.isFinite(v[i]!))
            throw new FormatError(`${fn}: slot '${k}'[${i}] is ${v[i]}, expected a finite moment`);
        slots[k] = fromTypedArray(v.slice(), [v.length]);
      }
      optimizer.loadStateDict({ meta: { kind, lr, stepCount }, slots });
    },
  };
}

/** A generator's state, restored in place (other objects may hold it by reference). */
export function rngState(rng: Rng): Stateful {
  if (!(rng instanceof Rng)) throw new ArgumentError(`rngState: rng expected an Rng, got ${describe(rng)}`);
  return {
    state: () => {
      const s = rng.getState();
      return { algorithm: s.algorithm, words: [...s.words], spareNormal: s.spareNormal };
    },
    load: (state) => {
      try {
        rng.setState(state as unknown as RngState);
      } catch (cause) {
        throw new FormatError(
          `rngState.load: expected an xoshiro256** generator state, got ${describe(state)}`,
          {
            cause,
          },
        );
      }
    },
  };
}

/** A fresh generator from a saved {@link rngState}. */
export function rngFromState(state: StateValue): Rng {
  const r = new Rng(0);
  rngState(r).load(state as StateRecord);
  return r;
}
