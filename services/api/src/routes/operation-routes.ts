import { createRequire } from 'node:module';
import { describeError } from '@customs/errors';
import { readDataStatus } from '@customs/vulndb';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import { withDeadline } from '../deadline.js';
import type { Handlers } from '../http/typed-operations.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';

type Check = Schemas['DependencyCheck'];

export function operationHandlers(
  context: ApiContext,
  metrics: ServiceMetrics,
): Pick<Handlers, 'getHealth' | 'getReadiness' | 'getMetrics' | 'getContract' | 'getDocs'> {
  return {
    async getHealth() {
      return { status: 200, body: { status: 'ok' } };
    },
    async getReadiness() {
      const maxAgeHours = context.deps.config.vulnData?.maxAgeHours;
      const [postgres, redis, data] = await Promise.all([
        check(context, 'PostgreSQL', () => context.deps.store.db.query('select 1')),
        check(context, 'Redis', () => context.deps.queues.ping()),
        maxAgeHours === undefined
          ? null
          : check(context, 'PostgreSQL', () => assertDataFresh(context, maxAgeHours)),
      ]);
      const down = [...(postgres.ok ? [] : ['postgres' as const]), ...(redis.ok ? [] : ['redis' as const])];
      const body = {
        status: down.length > 0 ? 'unavailable' : data?.ok === false ? 'degraded' : 'ready',
        checks: { postgres, redis, ...(data && { data }) },
        down,
      } as const;
      return down.length === 0 ? { status: 200, body } : { status: 503, body };
    },
    async getMetrics() {
      const { text, contentType } = await metrics.render();
      return { status: 200, body: text, contentType };
    },
    async getContract() {
      return { status: 200, body: context.contract.text, contentType: 'application/yaml; charset=utf-8' };
    },
    async getDocs() {
      return { status: 200, body: DOCS_PAGE, contentType: 'text/html; charset=utf-8' };
    },
  };
}

/** Throws, saying how old the data is and what to run, when the serving version is older than allowed. */
async function assertDataFresh(context: ApiContext, maxAgeHours: number): Promise<void> {
  const { current } = await readDataStatus(context.deps.store.db);
  if (current === null)
    throw new Error('no vulnerability data version yet: run customs db update (or let the updater run)');
  const hours = (context.now().getTime() - current.createdAt.getTime()) / 3_600_000;
  if (hours > maxAgeHours)
    throw new Error(
      `vulnerability data version ${current.version} is ${hours.toFixed(1)} h old, over the ${maxAgeHours} h ` +
        'limit (vulnData.maxAgeHours): check the updater and GET /v1/db for the last error',
    );
}

async function check(context: ApiContext, name: string, probe: () => Promise<unknown>): Promise<Check> {
  const ms = context.tuning.dependencyTimeoutMs;
  try {
    await withDeadline(probe(), ms, () => new Error(`${name} did not answer within ${ms} ms`));
    return { ok: true };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * Where swagger-ui-dist keeps its files: served under /docs/assets, nothing from a CDN. Asked of its
 * absolute-path module alone: the package's main also evaluates the 1.5 MB browser bundle (a quarter
 * of a second of every API start) for nothing.
 */
export const SWAGGER_UI_DIR: string = createRequire(import.meta.url)('swagger-ui-dist/absolute-path.js')();

// Relative URLs, so the page works behind a path prefix too (/docs → docs/assets, openapi.yaml).
const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Customs API</title>
    <link rel="stylesheet" href="docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script src="docs/assets/swagger-ui-standalone-preset.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

/** Served as a file rather than inline, so a strict Content-Security-Policy can forbid inline scripts. */
export const DOCS_INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: 'openapi.yaml',
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;
