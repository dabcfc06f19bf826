/** Bundles `<appRoot>/src/cli.ts` from the sources; see bundleCli.js. */
export function bundleCli(appRoot: string): Promise<{ script: string; env: NodeJS.ProcessEnv }>;
