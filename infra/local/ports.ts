import { createServer } from 'node:net';

/** A TCP port that was free a moment ago (the OS picks it; there is a small race, acceptable in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port yet (checked by binding it, on all interfaces). */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, () => srv.close(() => resolve(true)));
  });
}

/** A port from the environment, or the default; anything but 1–65535 is a configuration error. */
export function portFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be a port number (1-65535), got "${raw}".`);
  }
  return port;
}

/** A problem with the environment the user can fix: printed as one line, no stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
