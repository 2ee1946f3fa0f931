import type { ConfigCheck } from '../config-check.js';

const ROOT_USERS = new Set(['', 'root', '0']);

/** `USER` absent, empty, `root`, `0`, or any of those with a group (`0:0`, `root:staff`). */
export function isRootUser(user: string | undefined): boolean {
  const name = (user ?? '').trim().split(':')[0] as string;
  return ROOT_USERS.has(name);
}

export const runsAsRoot: ConfigCheck = {
  id: 'CFG001',
  severity: 'HIGH',
  title: 'Image runs as root',
  remediation:
    'Add a non-root user in the Dockerfile and switch to it with USER (e.g. `USER 10001:10001`); a container escape then starts without root.',
  run(config) {
    const user = config.config?.User;
    if (!isRootUser(user)) return [];
    const detail = user === undefined || user.trim() === '' ? 'no USER is set' : `USER is "${user}"`;
    return [{ detail, location: 'config.User' }];
  },
};
