import type { ConfigCheck } from '../config-check.js';

export const noHealthcheck: ConfigCheck = {
  id: 'CFG007',
  severity: 'LOW',
  title: 'No HEALTHCHECK',
  remediation:
    'Add a HEALTHCHECK (or a liveness probe where the orchestrator ignores HEALTHCHECK, as Kubernetes does) so a hung process is restarted.',
  run(config) {
    const test = config.config?.Healthcheck?.Test ?? [];
    if (test.length === 0) return [{ detail: 'no HEALTHCHECK is set', location: 'config.Healthcheck' }];
    if (test[0] === 'NONE') {
      return [{ detail: 'HEALTHCHECK NONE switches the base image’s off', location: 'config.Healthcheck' }];
    }
    return [];
  },
};
