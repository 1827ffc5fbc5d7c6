import type { AddressInfo } from 'node:net';
import type { Kernel } from '../kernel.js';
import type { PinoLogger } from '../logging/logger.js';
import { CredentialCache } from './auth/credential-cache.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PortierAuthenticator } from './auth/portier-authenticator.js';
import { SessionStore } from './auth/session-store.js';
import { UserStore } from './auth/user-store.js';
import { AppManager } from '../apps/app-manager.js';
import type { PackageLimits } from '../apps/package/package-limits.js';
import { TrustStore } from '../apps/trust-store.js';
import { type HttpServer, createHttpServer } from './http-server.js';
import { appsRoutes } from './routes/apps-routes.js';
import { pluginRoutePaths } from './plugin-routes/plugin-openapi.js';
import { eventsRoutes } from './routes/events-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { pluginsRoutes } from './routes/plugins-routes.js';
import { portsRoutes } from './routes/ports-routes.js';
import { rulesRoutes } from './routes/rules-routes.js';
import { schedulesRoutes } from './routes/schedules-routes.js';
import { factoryDefaultRoutes } from './routes/factory-default-routes.js';
import { pluginRoutes } from './routes/plugin-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
import { siteRoutes } from './routes/site-routes.js';
import { simulatorAudioRoutes } from './routes/simulator-audio-routes.js';
import { simulatorRoutes } from './routes/simulator-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { usersRoutes } from './routes/users-routes.js';
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
  /** Erases the data folder and restarts at first run (POST /api/v1/system/factory-default); see PortierInstance. */
  factoryDefault?: () => Promise<void>;
  /** Check each reply against its zod schema (tests and development); default on. */
  checkResponses?: boolean;
  /** Smaller limits for app package files than the defaults (tests). */
  appLimits?: Partial<PackageLimits>;
}

export interface PortierHttp {
  server: HttpServer;
  /** Installed apps (absent without a data folder). */
  apps?: AppManager;
  users: UserStore;
  tls: TlsMaterial;
  addresses: { https: AddressInfo; http?: AddressInfo };
  close(): Promise<void>;
}

/** The HTTP side of Portier, wired to a kernel: users, authentication, routes. */
export async function startPortierHttp(kernel: Kernel, options: PortierHttpOptions): Promise<PortierHttp> {
  const tls = await loadOrCreateCertificate(options.tlsDir, options.tlsFiles);
  const users = new UserStore(kernel.db, kernel.clock);
  const sessions = new SessionStore(kernel.clock);
  const auth = new PortierAuthenticator(users, new CredentialCache(kernel.clock), sessions, new LoginThrottle(kernel.clock));
  const startedAt = kernel.clock.now();
  const trust = new TrustStore(kernel.db, kernel.clock);
  // Apps live in the data folder; an in-memory kernel (the SDK harness) has none.
  const apps = kernel.appsDir === undefined ? undefined : new AppManager(kernel, kernel.appsDir, trust, options.appLimits);
  const server = await createHttpServer(
    { host: options.host, httpsPort: options.httpsPort, httpPort: options.httpPort, tls, logger: options.logger, checkResponses: options.checkResponses ?? true, openApiPaths: () => pluginRoutePaths(kernel) },
    auth,
    [
      healthRoutes(kernel, startedAt),
      setupRoutes(users),
      pluginRoutes(kernel),
      siteRoutes(kernel, users),
      factoryDefaultRoutes(options.factoryDefault),
      sessionRoutes(auth, sessions),
      usersRoutes(users, auth),
      systemRoutes(kernel, startedAt),
      pluginsRoutes(kernel),
      portsRoutes(kernel),
      rulesRoutes(kernel),
      schedulesRoutes(kernel),
      eventsRoutes(kernel),
      simulatorRoutes(kernel),
      simulatorAudioRoutes(kernel),
      ...(apps === undefined ? [] : [appsRoutes(apps, trust)]),
    ],
  );
  const addresses = await server.listen();
  return { server, users, tls, addresses, ...(apps === undefined ? {} : { apps }), close: () => server.close() };
}
