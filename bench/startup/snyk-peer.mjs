// snyk-docker-plugin's scan of one image archive, as its own process: the peer of `customs inventory`.
// Usage: node bench/startup/snyk-peer.mjs <peer node_modules dir> docker-archive:<file> | oci-archive:<file>
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [modules, path] = process.argv.slice(2);
const require = createRequire(join(modules, 'noop.js'));
const { scan } = require('snyk-docker-plugin');
const result = await scan({ path });
const packages = result.scanResults.reduce(
  (sum, scanResult) =>
    sum +
    scanResult.facts
      .filter((fact) => fact.type === 'depGraph')
      .reduce((n, fact) => n + fact.data.getPkgs().length, 0),
  0,
);
process.stdout.write(`${packages} packages\n`);
