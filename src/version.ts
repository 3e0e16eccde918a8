import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package version, read from package.json so the binary and the tarball always agree. */
export const VERSION: string = (require('../package.json') as { version: string }).version;
