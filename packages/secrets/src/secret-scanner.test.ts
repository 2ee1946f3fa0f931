import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SecretFinding } from '@customs/model';
import { createSecretScanner } from './secret-scanner.js';
import {
  awsAccessKeyId,
  awsSecretAccessKey,
  azureAccountKey,
  checksummedToken,
  hmacJwt,
  randomFrom,
  rsaPrivateKeyPem,
} from './testing/generate.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function scanFiles(files: Record<string, string | Buffer>, options = {}) {
  const layer = createSecretScanner(options).startLayer();
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    if (layer.wants(path, { size: data.length, kind: 'file' })) layer.scan(path, data);
  }
  return layer.finish();
}

function scanOne(path: string, content: string): SecretFinding[] {
  return scanFiles({ [path]: content }).findings;
}

function tool(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Each generated secret is found by its rule, on its line, and never appears in the finding. */
function assertFound(path: string, content: string, secret: string, ruleId: string, line = 1): void {
  const findings = scanOne(path, content);
  assert.deepEqual(
    findings.map((f) => [f.ruleId, f.line]),
    [[ruleId, line]],
    `${ruleId} in ${path}`,
  );
  assert.ok(!JSON.stringify(findings).includes(secret.slice(0, 12)), `${ruleId}: the secret leaked`);
}

describe('rules on generated credentials', () => {
  it('finds tokens in their published formats', () => {
    const cases: Array<[string, string]> = [
      [checksummedToken('ghp_'), 'github-pat'],
      [checksummedToken('gho_'), 'github-oauth-token'],
      [checksummedToken('ghs_'), 'github-app-installation-token'],
      [`github_pat_${randomFrom(ALNUM, 22)}_${randomFrom(ALNUM, 59)}`, 'github-fine-grained-pat'],
      [`glpat-${randomFrom(ALNUM, 20)}`, 'gitlab-pat'],
      [
        `xoxb-${randomFrom('0123456789', 12)}-${randomFrom('0123456789', 13)}-${randomFrom(ALNUM, 24)}`,
        'slack-token',
      ],
      [`sk_live_${randomFrom(ALNUM, 24)}`, 'stripe-live-key'],
      [checksummedToken('npm_'), 'npm-token'],
      [`pypi-AgEIcHlwaS5vcmc${randomFrom(ALNUM, 60)}`, 'pypi-token'],
      [awsAccessKeyId(), 'aws-access-key-id'],
      [hmacJwt(), 'jwt'],
    ];
    for (const [token, ruleId] of cases)
      assertFound('app/config.yml', `# settings\ntoken: ${token}\n`, token, ruleId, 2);
  });

  it('finds the AWS secret key beside its key id, and Azure and Slack webhook URLs', () => {
    const secret = awsSecretAccessKey();
    const credentials = `[default]\naws_access_key_id = ${awsAccessKeyId()}\naws_secret_access_key = ${secret}\n`;
    assert.deepEqual(
      scanOne('root/.aws/credentials', credentials).map((f) => [f.ruleId, f.line]),
      [
        ['aws-access-key-id', 2],
        ['aws-secret-access-key', 3],
      ],
    );
    const key = azureAccountKey();
    assertFound(
      'app/appsettings.json',
      `"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key};"`,
      key,
      'azure-storage-account-key',
    );
    const hook = `https://hooks.slack.com/services/T${randomFrom('ABCDEFGHIJ0123456789', 10)}/B${randomFrom('ABCDEFGHIJ0123456789', 10)}/${randomFrom(ALNUM, 24)}`;
    assertFound('etc/notify.conf', `url=${hook}\n`, hook, 'slack-webhook');
  });

  it('finds PEM keys from openssl and OpenSSH keys from ssh-keygen', () => {
    const pkcs8 = tool('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']);
    assertFound('etc/ssl/private/a.key', pkcs8, pkcs8.split('\n')[1] ?? '', 'private-key');
    const traditional = tool('openssl', ['genrsa', '-traditional', '1024']);
    assert.match(traditional, /BEGIN RSA PRIVATE KEY/);
    assertFound(
      'etc/ssl/private/b.key',
      `\n${traditional}`,
      traditional.split('\n')[1] ?? '',
      'private-key',
      2,
    );
    const ec = tool('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout']);
    assertFound('etc/ssl/private/c.key', ec, ec.split('\n')[1] ?? '', 'private-key');
    const dir = mkdtempSync(join(tmpdir(), 'customs-secrets-'));
    try {
      tool('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
      const openssh = readFileSync(join(dir, 'id'), 'utf8');
      assertFound('root/.ssh/id_ed25519', openssh, openssh.split('\n')[1] ?? '', 'openssh-private-key');
      const publicKey = readFileSync(join(dir, 'id.pub'), 'utf8');
      assert.deepEqual(scanOne('root/.ssh/id_ed25519.pub', publicKey), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds a GCP service-account key file once, not again as a PEM key', () => {
    const pem = rsaPrivateKeyPem();
    const json = JSON.stringify(
      {
        type: 'service_account',
        project_id: 'p',
        private_key: pem,
        client_email: 'sa@p.iam.gserviceaccount.com',
      },
      null,
      2,
    );
    assertFound('app/sa.json', json, pem.split('\n')[1] ?? '', 'gcp-service-account-key', 4);
  });

  it('reads credential files by their names', () => {
    const token = checksummedToken('npm_');
    assert.deepEqual(
      scanOne('root/.npmrc', `//registry.npmjs.org/:_authToken=${token}\n`).map((f) => f.ruleId),
      ['npmrc-auth'],
    );
    const password = randomFrom(ALNUM, 16);
    assertFound(
      'root/.pypirc',
      `[pypi]\nusername = me\npassword = ${password}\n`,
      password,
      'pypirc-password',
      3,
    );
    const auth = Buffer.from(`robot:${password}`).toString('base64');
    assertFound(
      'root/.docker/config.json',
      `{"auths":{"r.example":{"auth":"${auth}"}}}`,
      auth,
      'docker-config-auth',
    );
    assertFound(
      'root/.git-credentials',
      `https://me:${password}@git.example.org\n`,
      password,
      'git-credentials',
    );
    assertFound('srv/app/.env', `DEBUG=1\nDATABASE_PASSWORD=${password}\n`, password, 'dotenv-secret', 2);
    assertFound('srv/app/run.sh', `psql postgres://app:${password}@db/app\n`, password, 'url-password');
  });
});

describe('look-alikes that are not secrets', () => {
  const notSecrets: Array<[string, string]> = [
    [
      'docs/aws.md',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    ['src/a.txt', `ghp_${randomFrom(ALNUM, 36)} has no valid checksum (1 in 2^32 would)`],
    ['src/b.txt', `npm_${'a'.repeat(36)}`],
    [
      'docs/pem.md',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----\n',
    ],
    ['root/.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'],
    ['srv/.env', 'DB_PASSWORD=changeme\nAPI_TOKEN=<your-token>\nSECRET_KEY=\nPASSWORD=$DB_PASS\n'],
    [
      'app/azurite.json',
      'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    ],
    [
      'docs/url.md',
      'ftp://user:password@host and http://${USER}:${PASS}@h and https://user:xxxxxxxx@example.com',
    ],
    ['src/c.js', 'const s = "eyJhbGciOiJub3QganNvbg.eyJub3QganNvbg.c2lnbmF0dXJlc2lnbmF0dXJl";'],
    ['src/d.py', `stripe.api_key = "sk_test_${randomFrom(ALNUM, 24)}"`],
    ['etc/x.conf', `password=${randomFrom(ALNUM, 16)} in a file that is no credential file`],
  ];
  for (const [path, content] of notSecrets) {
    it(`${path}: ${content.slice(0, 40).replace(/\n/g, ' ')}…`, () =>
      assert.deepEqual(scanOne(path, content), []));
  }

  it('an OpenSSL public key is no private key', () => {
    const pem = rsaPrivateKeyPem();
    const publicPem = execFileSync('openssl', ['pkey', '-pubout'], { input: pem, encoding: 'utf8' });
    assert.deepEqual(scanOne('etc/ssl/certs/k.pem', publicPem), []);
  });
});

describe('what is read and what is skipped', () => {
  it('counts binary, oversized and skipped-path files and reads none of them', () => {
    const token = checksummedToken('ghp_');
    const result = scanFiles(
      {
        'usr/bin/tool': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(token)]),
        'var/big.log': `${'x'.repeat(200)}${token}`,
        'usr/share/doc/a/token.txt': token,
        'app/token.txt': token,
      },
      { maxFileBytes: 100, skipPaths: ['/usr/share/doc/'] },
    );
    assert.deepEqual(result.skipped, { binary: 1, tooLarge: 1, skippedPath: 1 });
    assert.equal(result.scannedFiles, 1);
    assert.deepEqual(
      result.findings.map((f) => [f.path, f.match]),
      [['app/token.txt', 'ghp_****']],
    );
    assert.equal(result.pathHashes.length, 4);
  });

  it('changes its cache id with the options that change its findings', () => {
    assert.notEqual(createSecretScanner().id, createSecretScanner({ maxFileBytes: 1 }).id);
    assert.equal(createSecretScanner().id, createSecretScanner().id);
  });
});

describe('overlapping rules', () => {
  it('a token in a credential file is reported once, by the more specific token rule', () => {
    const token = checksummedToken('ghp_');
    assert.deepEqual(
      scanOne('app/.env', `NODE_ENV=production\nGITHUB_TOKEN=${token}\n`).map((f) => [f.ruleId, f.line]),
      [['github-pat', 2]],
    );
  });
});
