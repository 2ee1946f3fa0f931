// Every config in this file is generated test data, written to exercise one check each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageConfig } from '@customs/oci';
import { CONFIG_CHECKS, checkImageConfig } from './check-image-config.js';

/** A config no check objects to: non-root, a health check, nothing exposed, no history. */
const clean: ImageConfig = {
  config: { User: 'app', Healthcheck: { Test: ['CMD', 'true'] } },
};

const withRuntime = (runtime: NonNullable<ImageConfig['config']>): ImageConfig => ({
  config: { ...clean.config, ...runtime },
});
const withHistory = (...createdBy: string[]): ImageConfig => ({
  ...clean,
  history: createdBy.map((line) => ({ created_by: line })),
});
const ids = (config: ImageConfig) => checkImageConfig(config).map((finding) => finding.id);

describe('checkImageConfig (generated configs)', () => {
  it('finds nothing in a clean config', () => {
    assert.deepEqual(checkImageConfig(clean), []);
  });

  it('CFG001: no USER, root, 0 and 0:0 run as root; a named or numeric user does not', () => {
    for (const user of [undefined, '', 'root', '0', '0:0', 'root:staff']) {
      const config = withRuntime({ User: user as string });
      if (user === undefined) delete config.config?.User;
      assert.deepEqual(ids(config), ['CFG001'], String(user));
    }
    for (const user of ['app', '10001', '10001:0', 'nobody'])
      assert.deepEqual(ids(withRuntime({ User: user })), []);
    assert.equal(checkImageConfig(withRuntime({ User: '0:0' }))[0]?.location, 'config.User');
  });

  it('CFG002: secret-named ENV with a real value, redacted; placeholders and references are not', () => {
    const env = [
      'PATH=/usr/bin',
      'DB_PASSWORD=hunter2-generated',
      'GITHUB_TOKEN=generated0token0value',
      'POSTGRES_PASSWORD_FILE=/run/secrets/db',
      'API_KEY=${API_KEY}',
      'CLIENT_SECRET=',
      'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
      'MY_API_KEY=<set me>',
    ];
    const findings = checkImageConfig(withRuntime({ Env: env }));
    assert.deepEqual(
      findings.map((finding) => [finding.id, finding.location, finding.detail]),
      [
        ['CFG002', 'config.Env[1]', 'DB_PASSWORD=<redacted, 17 characters>'],
        ['CFG002', 'config.Env[2]', 'GITHUB_TOKEN=<redacted, 21 characters>'],
      ],
    );
    assert.ok(!JSON.stringify(findings).includes('hunter2'));
  });

  it('CFG003: build arguments of RUN lines and ARG defaults, not package pins in the command', () => {
    const config = withHistory(
      '|2 NPM_TOKEN=npm_generated000 VERSION=1.2 /bin/sh -c npm ci',
      'RUN |1 AWS_SECRET_ACCESS_KEY=generatedSecretValue /bin/sh -c ./deploy.sh # buildkit',
      'ARG SENTRY_AUTH_TOKEN=generated-sentry',
      'RUN |1 VERSION=3 /bin/sh -c apk add libcrypto3=3.1.4-r1 PASSWORD=notAnArg # buildkit',
      '/bin/sh -c #(nop)  ARG GITHUB_TOKEN',
    );
    const findings = checkImageConfig(config);
    assert.deepEqual(
      findings.map((finding) => [finding.id, finding.location, finding.detail]),
      [
        ['CFG003', 'history[0].created_by', 'NPM_TOKEN=<redacted, 16 characters>'],
        ['CFG003', 'history[1].created_by', 'AWS_SECRET_ACCESS_KEY=<redacted, 20 characters>'],
        ['CFG003', 'history[2].created_by', 'SENTRY_AUTH_TOKEN=<redacted, 16 characters>'],
      ],
    );
    assert.ok(!/npm_generated|generatedSecret|generated-sentry/.test(JSON.stringify(findings)));
  });

  it('CFG004: ADD of a URL (credentials in it redacted), not ADD of a local file or with --checksum', () => {
    const findings = checkImageConfig(
      withHistory(
        '/bin/sh -c #(nop) ADD file:0c2f6bd4e3c0 in / ',
        'ADD https://user:pw@example.com/tool.tgz /opt/ # buildkit',
        '/bin/sh -c #(nop) ADD http://example.com/a.sh /a.sh',
        'ADD --checksum=sha256:00 https://example.com/b.tgz /opt/ # buildkit',
      ),
    );
    assert.deepEqual(
      findings.map((finding) => [finding.id, finding.location, finding.detail]),
      [
        ['CFG004', 'history[1].created_by', 'ADD https://<redacted>@example.com/tool.tgz'],
        ['CFG004', 'history[2].created_by', 'ADD http://example.com/a.sh'],
      ],
    );
  });

  it('CFG005/CFG006: SSH and other ports below 1024, not high ports', () => {
    const config = withRuntime({
      ExposedPorts: { '22/tcp': {}, '80/tcp': {}, '53/udp': {}, '8080/tcp': {} },
    });
    assert.deepEqual(
      checkImageConfig(config).map((finding) => [finding.id, finding.detail]),
      [
        ['CFG005', 'EXPOSE 22/tcp'],
        ['CFG006', 'EXPOSE 80/tcp'],
        ['CFG006', 'EXPOSE 53/udp'],
      ],
    );
  });

  it('CFG007: no HEALTHCHECK, or HEALTHCHECK NONE', () => {
    assert.deepEqual(ids({ config: { User: 'app' } }), ['CFG007']);
    assert.deepEqual(ids(withRuntime({ Healthcheck: { Test: ['NONE'] } })), ['CFG007']);
  });

  it('CFG008: FROM latest or untagged in history or the base-name label; digests and other tags pass', () => {
    assert.deepEqual(ids(withHistory('FROM docker.io/library/debian:latest')), ['CFG008']);
    assert.deepEqual(ids(withHistory('/bin/sh -c #(nop) FROM localhost:5000/base')), ['CFG008']);
    assert.deepEqual(ids(withHistory('FROM debian:12@sha256:' + 'a'.repeat(64), 'FROM debian:12')), []);
    const label = (labels: Record<string, string>) => ids(withRuntime({ Labels: labels }));
    assert.deepEqual(label({ 'org.opencontainers.image.base.name': 'docker.io/library/node' }), ['CFG008']);
    assert.deepEqual(
      label({
        'org.opencontainers.image.base.name': 'docker.io/library/node',
        'org.opencontainers.image.base.digest': 'sha256:' + 'b'.repeat(64),
      }),
      [],
    );
  });

  it('orders the most severe first, and every check has a unique id, a title and remediation', () => {
    const config: ImageConfig = { config: { ExposedPorts: { '22/tcp': {} } } };
    assert.deepEqual(ids(config), ['CFG001', 'CFG005', 'CFG007']);
    const checkIds = CONFIG_CHECKS.map((check) => check.id);
    assert.equal(new Set(checkIds).size, checkIds.length);
    for (const check of CONFIG_CHECKS) assert.ok(check.title && check.remediation.length > 20, check.id);
  });
});
