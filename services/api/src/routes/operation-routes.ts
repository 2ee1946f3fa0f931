import { createRequire } from 'node:module';
import { describeError } from '@customs/errors';
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
      const [postgres, redis] = await Promise.all([
        check(context, 'PostgreSQL', () => context.deps.store.db.query('select 1')),
        check(context, 'Redis', () => context.deps.queues.ping()),
      ]);
      const down = [...(postgres.ok ? [] : ['postgres' as const]), ...(redis.ok ? [] : ['redis' as const])];
      const body = {
        status: down.length === 0 ? ('ready' as const) : ('unavailable' as const),
        checks: { postgres, redis },
        down,
      };
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
