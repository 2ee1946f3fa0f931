// Prints expected/planted-secrets.json for the `secrets` image (see plant-secrets.sh): each planted
// credential with the rule, path, line and layers a scan must report, and its value, so tests can
// check that no output, log or database row carries it. Generated values only.
import { readFileSync } from 'node:fs';

const { PLANTED_DIR, AWS_ID, AWS_SECRET, GH_TOKEN, ENV_PASSWORD } = process.env;
const read = (path) => readFileSync(`${PLANTED_DIR}/${path}`, 'utf8');
/** A PEM/OpenSSH block's secret part: its base64 lines (the header and footer are public words). */
const keyBody = (pem) => pem.split('\n').filter((line) => line && !line.startsWith('-----'));

const SECRETS_LAYER = 4;
const DELETE_LAYER = 5;
const planted = [
  {
    ruleId: 'private-key',
    path: 'etc/ssl/private/service.key',
    line: 1,
    removedInLayer: DELETE_LAYER,
    values: keyBody(read('etc/ssl/private/service.key')),
  },
  {
    ruleId: 'openssh-private-key',
    path: 'root/.ssh/id_ed25519',
    line: 1,
    removedInLayer: null,
    values: keyBody(read('root/.ssh/id_ed25519')),
  },
  {
    ruleId: 'aws-access-key-id',
    path: 'root/.aws/credentials',
    line: 2,
    removedInLayer: null,
    values: [AWS_ID],
  },
  {
    ruleId: 'aws-secret-access-key',
    path: 'root/.aws/credentials',
    line: 3,
    removedInLayer: null,
    values: [AWS_SECRET],
  },
  { ruleId: 'github-pat', path: 'app/.env', line: 2, removedInLayer: null, values: [GH_TOKEN] },
].map((secret) => ({ ...secret, layerIndex: SECRETS_LAYER }));

const manifest = {
  note: 'generated at build time by test/e2e/images/plant-secrets.sh; none of these is a real credential',
  image: 'secrets',
  files: planted,
  config: { user: null, env: [{ name: 'DATABASE_PASSWORD', values: [ENV_PASSWORD] }] },
};
process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
