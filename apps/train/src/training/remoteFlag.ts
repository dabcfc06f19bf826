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
