import { readFileSync } from 'node:fs';

/**
 * The package version, read from package.json so the binary and the tarball
 * always agree. Looked up from this module's location upwards, because the
 * module runs both from dist/ (one file per module) and from the bundled
 * binary in dist/bin/.
 */
function readVersion(): string {
  for (const up of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mcp-server-outlook' && pkg.version) return pkg.version;
    } catch {
      // Not at this level; try the next one up.
    }
  }
  return '0.0.0-unknown';
}

export const VERSION: string = readVersion();
