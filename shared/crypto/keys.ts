import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Key material of the local stack and the tests: 32 random bytes per named key in
 * `PE_DATA_DIR/keys/<name>` (default `.data`), made on first use and kept, so cursors, sealed
 * secrets and the like survive a restart of `npm start`. In the cloud the same keys live in KMS
 * or Secrets Manager (see the module that uses each); this file is never read on Lambda.
 *
 * Two processes making the same key at once agree: the file is created exclusively (`wx`), and
 * the loser reads the winner's bytes.
 */
const cache = new Map<string, Buffer>();

export function keysDir(): string {
  return join(resolve(process.env.PE_DATA_DIR || '.data'), 'keys');
}

export function localKey(name: string): Buffer {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad key name ${name}`);
  const dir = keysDir();
  const file = join(dir, name);
  const cached = cache.get(file);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    key = readFileSync(file);
  }
  if (key.length !== 32) throw new Error(`key file ${file} must hold 32 bytes (it holds ${key.length}); delete it to make a new one`);
  cache.set(file, key);
  return key;
}
