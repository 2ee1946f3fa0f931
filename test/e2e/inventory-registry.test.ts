// `customs inventory` against real registries: the app image pushed with skopeo to a registry with
// htpasswd (Basic) auth and to one with token (Bearer) auth, scanned through the CLI, and compared
// with what dpkg-query, importlib.metadata, go version -m and the npm lockfile say about the image.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertScanError, runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import { assertAppInventory } from '../support/inventory-assertions.js';
import { parseInventory } from '../support/inventory-document.js';
import type { RegistryAuth } from '../support/registry.js';
import { pushImage } from '../support/skopeo.js';
import { useRegistry } from '../support/use-registry.js';

const e2e = e2eEnvironment();
const AUTH_FAILURE = /auth|credential|unauthori[sz]ed|denied|401/i;

describe('customs inventory <registry image>', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);

  // Basic auth passes the credentials as flags, token auth through CUSTOMS_REGISTRY_AUTH: both ways in.
  for (const [auth, via] of [
    ['basic', 'flags'],
    ['token', 'env'],
  ] as const satisfies ReadonlyArray<readonly [RegistryAuth, string]>) {
    describe(`registry with auth=${auth}, credentials via ${via}`, () => {
      const registry = useRegistry({ auth });
      const ref = () => `${registry().host}/e2e/app:1.0`;
      const username = () => registry().username ?? '';
      const password = () => registry().password ?? '';

      before(async () => {
        await pushImage(images.layout, 'app', ref(), {
          creds: { username: username(), password: password() },
        });
      });

      test('the JSON inventory is the ground truth, package by package and layer by layer', async () => {
        const result =
          via === 'flags'
            ? await runCustoms([
                'inventory',
                ref(),
                '--format',
                'json',
                '--username',
                username(),
                '--password',
                password(),
              ])
            : await runCustoms(['inventory', ref(), '--format', 'json'], {
                env: { CUSTOMS_REGISTRY_AUTH: `${username()}:${password()}` },
              });
        assert.equal(result.code, 0, result.stderr);
        const doc = parseInventory(result.stdout);
        assert.ok(doc.target.includes(ref()), `target ${doc.target} names ${ref()}`);
        assertAppInventory(doc, truth, 'compressed');
        if (auth === 'token') {
          const granted = registry().tokenServer?.requests.filter(
            (r) => r.account === username() && r.outcome === 'granted',
          );
          assert.ok(
            granted?.some((r) => r.scopes.includes('repository:e2e/app:pull')),
            'the CLI got a pull token',
          );
        }
      });

      test('a wrong password exits 1 with a one-line reason naming the image, never the password', async () => {
        const wrong = 'wrong-password-e2e';
        const result =
          via === 'flags'
            ? await runCustoms([
                'inventory',
                ref(),
                '--format',
                'json',
                '--username',
                username(),
                '--password',
                wrong,
              ])
            : await runCustoms(['inventory', ref(), '--format', 'json'], {
                env: { CUSTOMS_REGISTRY_AUTH: `${username()}:${wrong}` },
              });
        assertScanError(result, ['e2e/app'], AUTH_FAILURE);
        assert.ok(!result.stderr.includes(wrong), 'the password is not echoed');
      });

      test('no credentials at all exits 1 with a one-line reason', async () => {
        const result = await runCustoms(['inventory', ref(), '--format', 'json']);
        assertScanError(result, ['e2e/app'], AUTH_FAILURE);
      });
    });
  }
});
