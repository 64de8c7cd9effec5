import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, isPortFree } from './ports';

export interface SesLocal {
  /** SES endpoint for the SDK, the web mail viewer (`/`) and the test store (`GET /store`). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The SES emulator (`aws-ses-v2-local`, SES v1 + v2 API, web viewer, `GET /store`) in this
 * process. Port 0 picks a free port.
 */
export async function startSes(opts: { port: number; host?: string }): Promise<SesLocal> {
  const host = opts.host ?? '127.0.0.1';
  // The package resolves only on success: a busy port would surface as an uncaught 'error'.
  if (opts.port !== 0 && !(await isPortFree(opts.port))) {
    throw new ConfigError(`Port ${opts.port} for the SES emulator is in use: set SES_PORT to a free port.`);
  }
  // CommonJS default export.
  const sesServer = (await import('aws-ses-v2-local')).default as unknown as (c: { port: number; host: string }) => Promise<Server>;
  const server = await sesServer({ port: opts.port, host });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '::' || host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from the SDK would hold close() open.
        server.closeAllConnections?.();
      }),
  };
}
