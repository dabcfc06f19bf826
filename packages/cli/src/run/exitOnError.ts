import { checkString, TenzoError } from '@tenzo/core';

/**
 * The end of every tenzo CLI: an error becomes one line on stderr, `<app>: <message>`, and a
 * non-zero exit — 2 for tenzo's own typed errors (bad flags, bad files, a failed device), 1 for
 * anything else. TENZO_DEBUG=1 prints the stack as well.
 */
export function exitOnError(app: string): (err: unknown) => never {
  checkString('exitOnError: app', app);
  return (err) => {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    console.error(`${app}: ${message}`);
    if (process.env.TENZO_DEBUG && err instanceof Error && err.stack) console.error(err.stack);
    process.exit(err instanceof TenzoError ? 2 : 1);
  };
}
