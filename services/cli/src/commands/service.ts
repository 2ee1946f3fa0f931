import { parseArgs } from 'node:util';
import { warnFirstRun } from '../first-run/warn-first-run.js';
import { EXIT, UsageError, type CliIO, type Command } from '../io.js';
import { publishServerControl, type PublishedControl } from '../server-control/publish-control.js';
import { startRole, type Role, type RunningRole } from '../service/run-roles.js';
import { openRuntime } from '../service/runtime.js';
import { untilStopped } from '../service/shutdown.js';

/** What `serve` runs; the updater is its own role, started where scheduled updates are wanted. */
const ROLES: readonly Role[] = ['webhook', 'api', 'worker'];

export const SERVICE_USAGE = `usage: customs serve              webhook + api + worker in one process (single machine)
       customs webhook|api|worker  one role, for running many processes (needs DATABASE_URL, REDIS_URL)
       customs updater             scheduled vulnerability-data updates, then re-judging (updater: in the config)

Configuration: CUSTOMS_CONFIG (YAML), DATABASE_URL, REDIS_URL, CUSTOMS_ADMIN_TOKEN (see docs/configuration.md).
serve without DATABASE_URL uses the embedded PGlite in $XDG_CACHE_HOME/customs; without REDIS_URL it starts a
private redis-server (installed with apt-get install redis-server).
`;

/** `customs serve|webhook|api|worker`: runs until SIGTERM/SIGINT, then drains and exits 0. */
export function serviceCommand(roles: readonly Role[], name: string): Command {
  return async (argv: string[], io: CliIO) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout.write(SERVICE_USAGE);
      return EXIT.ok;
    }
    if (positionals.length) throw new UsageError(`customs ${name} takes no arguments\n${SERVICE_USAGE}`);
    const runtime = await openRuntime({
      env: io.env,
      singleProcess: roles.length === ROLES.length,
      role: name,
    });
    const running: RunningRole[] = [];
    let control: PublishedControl | null = null;
    try {
      for (const role of roles) running.push(await startRole(role, runtime));
      control = await publishServerControl(runtime, running);
      await warnFirstRun(runtime, running, control?.tokenId ?? null);
      for (const role of running) runtime.logger.info({ role: role.role, url: role.url }, 'started');
      const signal = await untilStopped();
      runtime.logger.info({ signal }, 'stopping');
    } finally {
      await control?.close();
      for (const role of running.reverse()) await role.close();
      await runtime.close();
    }
    return EXIT.ok;
  };
}

export const serveCommand = serviceCommand(ROLES, 'serve');
export const webhookCommand = serviceCommand(['webhook'], 'webhook');
export const apiCommand = serviceCommand(['api'], 'api');
export const workerCommand = serviceCommand(['worker'], 'worker');
export const updaterCommand = serviceCommand(['updater'], 'updater');
