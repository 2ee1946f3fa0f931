import type { ImageConfig } from '@customs/oci';
import type { ConfigCheck } from '../config-check.js';

/** `22/tcp` → 22; ranges and junk → null. */
function portNumber(key: string): number | null {
  const match = /^(\d+)(\/(tcp|udp|sctp))?$/i.exec(key.trim());
  return match ? Number(match[1]) : null;
}

function exposed(config: ImageConfig): Array<{ key: string; port: number }> {
  return Object.keys(config.config?.ExposedPorts ?? {}).flatMap((key) => {
    const port = portNumber(key);
    return port === null ? [] : [{ key, port }];
  });
}

export const sshExposed: ConfigCheck = {
  id: 'CFG005',
  severity: 'MEDIUM',
  title: 'SSH port exposed',
  remediation:
    'Do not run an SSH server in a container: use `kubectl exec` / `docker exec` for access and remove EXPOSE 22.',
  run(config) {
    return exposed(config)
      .filter(({ port }) => port === 22)
      .map(({ key }) => ({ detail: `EXPOSE ${key}`, location: 'config.ExposedPorts' }));
  },
};

export const privilegedPortExposed: ConfigCheck = {
  id: 'CFG006',
  severity: 'LOW',
  title: 'Privileged port exposed',
  remediation:
    'Listen on a port above 1023 (e.g. 8080 instead of 80) so the process needs neither root nor CAP_NET_BIND_SERVICE; map the public port outside the container.',
  run(config) {
    return exposed(config)
      .filter(({ port }) => port < 1024 && port !== 22)
      .map(({ key }) => ({ detail: `EXPOSE ${key}`, location: 'config.ExposedPorts' }));
  },
};
