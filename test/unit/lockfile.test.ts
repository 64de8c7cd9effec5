/**
 * `npm ci` on a fresh clone (issue 13, point 15) refuses a lockfile in which a package's
 * dependency — an optional, other-platform one included — has no entry of its own ("Missing:
 * <name>@ from lock file", npm/cli#9846): that is how vite's Windows-only
 * `napi-windows-process-start-time` broke CI. This walks the lockfile the way npm resolves it, so
 * a lockfile that would break `npm ci` fails here first, with the name of what is missing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const lockPath = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

/** Every `<dependent> → <name>` whose name resolves to no entry with a version (node_modules lookup, innermost first). */
function missingFromLock(lock: { packages: Record<string, LockEntry> }): string[] {
  const packages = lock.packages;
  const resolves = (from: string, name: string): boolean => {
    for (let dir = from; ; ) {
      const entry = packages[`${dir ? `${dir}/` : ''}node_modules/${name}`];
      if (entry && (entry.version || entry.link)) return true;
      if (!dir) return false;
      const at = dir.lastIndexOf('/node_modules/');
      dir = at === -1 ? '' : dir.slice(0, at);
    }
  };
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    const names = { ...entry.dependencies, ...entry.optionalDependencies, ...(path === '' ? entry.devDependencies : {}) };
    for (const name of Object.keys(names)) if (!resolves(path, name)) missing.push(`${path || '(root)'} → ${name}`);
  }
  return missing;
}

describe('package-lock.json', () => {
  it('records every dependency of every package, optional and other-platform ones included (what npm ci checks)', () => {
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    expect(missingFromLock(lock)).toEqual([]);
  });

  it('the check finds the entry npm ci found missing', () => {
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    delete lock.packages['node_modules/napi-windows-process-start-time'];
    expect(missingFromLock(lock)).toEqual(['node_modules/vite → napi-windows-process-start-time']);
  });
});
