import { readFileSync } from 'node:fs';

/**
 * The package's root folder: two levels up from this module, in tsc's output (dist/src/) and in
 * the bundled command (dist/cli/) alike.
 */
export const packageRoot = new URL('../../', import.meta.url);

/** This package's version, from its package.json (beside dist/ and src/ alike). */
export const packageVersion: string = (
  JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as {
    version: string;
  }
).version;
