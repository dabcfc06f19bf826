import type { FlagSpecs } from '@tenzo/cli';
import { ArgumentError } from '@tenzo/core';
import { type RemoteDevice, remoteDevice } from '@tenzo/devices';

/**
 * `--device remote:<url>`: a device served over the tenzo remote device protocol
 * (docs/device-protocol.md) — `tenzo-device serve`, examples/python-device-server or a lab's own.
 */
export const REMOTE_DEVICE_PREFIX = 'remote:';
/** `prefixes` of a `--device` enum flag that also takes `remote:<url>` */
export const DEVICE_FLAG_PREFIXES = [REMOTE_DEVICE_PREFIX] as const;
/** the environment variable holding the bearer token (never a flag: it would show in `ps`) */
export const DEVICE_TOKEN_ENV = 'TENZO_DEVICE_TOKEN';

/** Whether a `--device` value names a remote device. */
export function isRemote(device: string): device is `remote:${string}` {
  return device.startsWith(REMOTE_DEVICE_PREFIX);
}

/**
 * Connects to `--device remote:<url>` (describe fetched and checked; token from
 * $TENZO_DEVICE_TOKEN; client defaults: 10 s per attempt, 3 retries, jitter seeded by `seed`)
 * and checks that it is `width` → `width`. Resolves to null for any other `--device`.
 */
export async function connectRemote(
  device: string,
  width: number,
  seed: number,
): Promise<RemoteDevice | null> {
  if (!isRemote(device)) return null;
  const url = device.slice(REMOTE_DEVICE_PREFIX.length);
  const token = process.env[DEVICE_TOKEN_ENV];
  const dev = await remoteDevice({ url, token: token === '' ? undefined : token, seed });
  if (dev.inputSize !== width || dev.outputSize !== width)
    throw new ArgumentError(
      `--device: expected a ${width} → ${width} device (the network's width), got '${dev.name}' ${dev.inputSize} → ${dev.outputSize}`,
    );
  return dev;
}

type DriftFlagValues = { driftEvery?: number | undefined; driftThreshold?: number | undefined };

/** @tenzo/hybrid's `driftFlags` as flags of a run (`mnist`, `audio`) that a command starts per cell. */
export function driftArgv(f: DriftFlagValues): string[] {
  return [
    ...(f.driftEvery !== undefined ? ['--drift-every', String(f.driftEvery)] : []),
    ...(f.driftThreshold !== undefined ? ['--drift-threshold', String(f.driftThreshold)] : []),
  ];
}

/**
 * `--device remote:<url>` on the commands that name their devices in another flag (lm-hybrid's
 * variants, the sweeps' --devices): the served device behind their 'remote' entries.
 */
export const remoteDeviceFlag = {
  device: {
    type: 'string',
    meta: 'remote:url',
    help: `the served device of the 'remote' entries: remote:http://host:port (token from $${DEVICE_TOKEN_ENV})`,
  },
} as const satisfies FlagSpecs;

/**
 * Checks `--device` against whether a 'remote' entry uses it (`used`): a remote:<url> exactly when
 * one does. Returns the URL flag value, or undefined.
 */
export function checkRemoteFlag(
  device: string | undefined,
  used: boolean,
  entry: string,
): string | undefined {
  if (device !== undefined && !isRemote(device))
    throw new ArgumentError(`--device: expected remote:http://host:port, got '${device}'`);
  if (used && device === undefined)
    throw new ArgumentError(`${entry}: 'remote' needs --device remote:http://host:port, got no --device`);
  if (!used && device !== undefined)
    throw new ArgumentError(`--device: ${device} is only used by a 'remote' entry of ${entry}, got none`);
  return device;
}
