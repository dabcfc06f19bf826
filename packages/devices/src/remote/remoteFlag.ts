import { ArgumentError, checkInt, checkString } from '@tenzo/core';
import { type RemoteDevice, remoteDevice } from './remoteDevice.js';

// `--device remote:<url>` for command lines: a device served over the tenzo remote device protocol
// (docs/device-protocol.md) — `tenzo-device serve`, examples/python-device-server or a lab's own.

/** The prefix of a `--device` value that names a served device: `remote:http://host:port`. */
export const REMOTE_DEVICE_PREFIX = 'remote:';
/** `prefixes` of a `--device` enum flag spec that also takes `remote:<url>`. */
export const DEVICE_FLAG_PREFIXES = [REMOTE_DEVICE_PREFIX] as const;
/** The environment variable holding the bearer token (never a flag: it would show in `ps`). */
export const DEVICE_TOKEN_ENV = 'TENZO_DEVICE_TOKEN';

/** Whether a `--device` value names a remote device (`remote:<url>`). */
export function isRemote(device: string): device is `remote:${string}` {
  checkString('isRemote: device', device);
  return device.startsWith(REMOTE_DEVICE_PREFIX);
}

/**
 * Connects to `--device remote:<url>` ({@link remoteDevice}: describe fetched and checked; token
 * from $TENZO_DEVICE_TOKEN, an empty one as none; client defaults — 10 s per attempt, 3 retries,
 * jitter seeded by `seed`) and checks that it is `width` → `width`, else an ArgumentError.
 * Resolves to null for any other `--device` value (a simulator kind, 'none', …).
 */
export async function connectRemote(
  device: string,
  width: number,
  seed: number,
): Promise<RemoteDevice | null> {
  checkInt('connectRemote: width', width, { min: 1 });
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

/**
 * `--device remote:<url>` as an `@tenzo/cli` flag spec (plain data), for commands that name their
 * devices in another flag (a list of variants or devices): the served device behind their
 * 'remote' entries. Check it with {@link checkRemoteFlag}.
 */
export const remoteDeviceFlag = {
  device: {
    type: 'string',
    meta: 'remote:url',
    help: `the served device of the 'remote' entries: remote:http://host:port (token from $${DEVICE_TOKEN_ENV})`,
  },
} as const;

/**
 * Checks {@link remoteDeviceFlag}'s `device` against whether a 'remote' entry of the flag `entry`
 * (e.g. '--variants') uses it (`used`): a remote:<url> exactly when one does, else an
 * ArgumentError. Returns the flag's value, or undefined.
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
