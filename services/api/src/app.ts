import { createRequire } from 'node:module';
import { describeError, InvalidOptionError } from '@customs/errors';
import { createNotificationStore } from '@customs/notifications';
import { createTagResolver } from '@customs/scans';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ADMISSION_PATH, admissionGate, admissionHandlers } from './admission/admission-routes.js';
import { DEFAULT_TUNING, type ApiContext, type ApiDeps } from './api-context.js';
import { createTokenAuth } from './auth/token-auth.js';
import { loadContract } from './contract/load-contract.js';
import { createRequestValidators } from './contract/request-validator.js';
import { errorResponder, notFound, requestLog } from './http/error-responses.js';
import { mountOperations, type Handlers } from './http/typed-operations.js';
import { createServiceMetrics } from './metrics/service-metrics.js';
import { imageHandlers } from './routes/image-routes.js';
import { notificationHandlers } from './routes/notification-routes.js';
import { DOCS_INIT_SCRIPT, operationHandlers, SWAGGER_UI_DIR } from './routes/operation-routes.js';
import { rescanHandlers } from './routes/rescan-routes.js';
import { scanHandlers } from './routes/scan-routes.js';
import { tokenHandlers } from './routes/token-routes.js';
import { verdictHandlers } from './routes/verdict-routes.js';
import { vexHandlers } from './routes/vex-routes.js';
import { vulnDbHandlers } from './routes/vulndb-routes.js';
import { createDataVersionSource, createVerdictService } from '@customs/verdicts';

const REQUIRED: ReadonlyArray<keyof ApiDeps> = ['config', 'store', 'queues', 'vulnReader', 'logger'];
const packageJson: { version: string } = createRequire(import.meta.url)('../package.json');

/**
 * The REST API as an express app, every operation mounted from openapi/customs.yaml. Listening,
 * opening PostgreSQL and Redis, and closing them are the caller's.
 */
export function createApiApp(deps: ApiDeps): express.Express {
  for (const name of REQUIRED) {
    if (deps[name] === undefined || deps[name] === null) throw new InvalidOptionError(name, 'is required');
  }
  const context = createContext(deps);
  const metrics = createServiceMetrics({
    store: deps.store,
    queues: deps.queues,
    windowSeconds: context.tuning.metricsWindowSeconds,
    redisTimeoutMs: context.tuning.dependencyTimeoutMs,
    onError: (source, error) =>
      deps.logger.warn({ source, error: describeError(error) }, 'metrics source unavailable'),
  });
  const handlers: Handlers = {
    ...verdictHandlers(context),
    ...imageHandlers(context),
    ...scanHandlers(context),
    ...rescanHandlers(context),
    ...tokenHandlers(context),
    ...notificationHandlers(context),
    ...vulnDbHandlers(context),
    ...vexHandlers(context),
    ...operationHandlers(context, metrics),
    ...admissionHandlers(context),
  };
  const app = express();
  app.disable('x-powered-by');
  // Verdicts are served thousands of times a second; hashing each body for an ETag costs more than it saves.
  app.set('etag', false);
  app.use(requestLog(deps.logger));
  app.use(docsWithoutSlash);
  app.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, etag: true }));
  app.get('/docs/init.js', (_request, response) => {
    response.type('text/javascript').send(DOCS_INIT_SCRIPT);
  });
  app.post(ADMISSION_PATH, admissionGate(context));
  mountOperations(app, handlers, {
    contract: context.contract,
    validators: createRequestValidators(context.contract),
    auth: context.auth,
  });
  app.use(notFound);
  app.use(errorResponder(deps.logger));
  return app;
}

/**
 * The docs page names its assets and the contract relative to `/docs`; served at `/docs/` they would
 * resolve one level too deep. The redirect is relative too, so a path prefix in front of the API survives.
 */
function docsWithoutSlash(request: Request, response: Response, next: NextFunction): void {
  if (request.method === 'GET' && request.path === '/docs/') response.redirect(301, '../docs');
  else next();
}

/** The configuration's policy as the default rule: where the policy file lives is not part of it. */
function withoutFile(policy: ApiDeps['config']['policy']): Omit<ApiDeps['config']['policy'], 'file'> {
  const { file: _file, ...rule } = policy;
  return rule;
}

function createContext(deps: ApiDeps): ApiContext {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const now = deps.now ?? (() => new Date());
  const clock = () => performance.now();
  const dataVersion = createDataVersionSource(deps.vulnReader, {
    pollMs: tuning.dataVersionPollMs,
    clock,
    onError: (error) =>
      deps.logger.warn({ error: describeError(error) }, 'vulnerability data version unavailable'),
  });
  return {
    deps,
    tuning,
    now,
    clock,
    contract: loadContract(),
    auth: createTokenAuth(deps.store.tokens, { cacheMs: tuning.tokenCacheMs, maxEntries: 10_000, clock }),
    dataVersion,
    verdicts: createVerdictService({
      store: deps.store,
      vex: deps.store.vex,
      reader: deps.vulnReader,
      policy: withoutFile(deps.config.policy),
      ...(deps.policies && { policies: deps.policies }),
      dataVersion,
      now,
      clock,
      judgedTtlMs: tuning.verdictTtlMs,
      transientTtlMs: tuning.transientVerdictTtlMs,
      maxEntries: tuning.verdictCacheEntries,
    }),
    resolveTag: deps.resolveTag ?? createTagResolver(),
    notifications: createNotificationStore(deps.store.db),
    tool: { name: 'Customs', version: packageJson.version },
  };
}
