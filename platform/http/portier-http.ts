import type { AddressInfo } from 'node:net';
import type { Kernel } from '../kernel.js';
import type { PinoLogger } from '../logging/logger.js';
import { CredentialCache } from './auth/credential-cache.js';
import { PortierAuthenticator } from './auth/portier-authenticator.js';
import { UserStore } from './auth/user-store.js';
import { type HttpServer, createHttpServer } from './http-server.js';
import { healthRoutes } from './routes/health-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
import { type TlsMaterial, loadOrCreateCertificate } from './tls/certificate.js';

export interface PortierHttpOptions {
  host: string;
  httpsPort: number;
  /** Plain-HTTP port that redirects to HTTPS; null for none. */
  httpPort: number | null;
  /** Where the generated certificate is kept (the data folder). */
  tlsDir: string;
  /** A certificate and key of the user's, replacing the generated one. */
  tlsFiles?: { certFile: string; keyFile: string };
  logger: PinoLogger;
}

export interface PortierHttp {
  server: HttpServer;
  users: UserStore;
  tls: TlsMaterial;
  addresses: { https: AddressInfo; http?: AddressInfo };
  close(): Promise<void>;
}

/** The HTTP side of Portier, wired to a kernel: users, authentication, routes. */
export async function startPortierHttp(kernel: Kernel, options: PortierHttpOptions): Promise<PortierHttp> {
  const tls = await loadOrCreateCertificate(options.tlsDir, options.tlsFiles);
  const users = new UserStore(kernel.db, kernel.clock);
  const auth = new PortierAuthenticator(users, new CredentialCache(kernel.clock));
  const startedAt = kernel.clock.now();
  const server = await createHttpServer(
    { host: options.host, httpsPort: options.httpsPort, httpPort: options.httpPort, tls, logger: options.logger },
    auth,
    [healthRoutes(kernel, startedAt), setupRoutes(users)],
  );
  const addresses = await server.listen();
  return { server, users, tls, addresses, close: () => server.close() };
}
