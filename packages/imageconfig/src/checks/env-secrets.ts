import type { ConfigCheck } from '../config-check.js';
import { redacted, secretAssignments } from '../secret-names.js';

export const secretInEnv: ConfigCheck = {
  id: 'CFG002',
  severity: 'HIGH',
  title: 'Secret in an environment variable',
  remediation:
    'Remove the value from ENV: pass it at run time (an orchestrator secret, a mounted file such as NAME_FILE=/run/secrets/…) and rotate the credential, since every copy of the image holds it.',
  run(config) {
    return (config.config?.Env ?? []).flatMap((entry, index) => {
      const split = entry.indexOf('=');
      if (split < 0) return [];
      const pair: [string, string] = [entry.slice(0, split), entry.slice(split + 1)];
      return secretAssignments([pair]).map(([name, value]) => ({
        detail: redacted(name, value),
        location: `config.Env[${index}]`,
      }));
    });
  },
};
