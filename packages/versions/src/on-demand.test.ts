import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { ecosystemEntry } from './ecosystem-registry.js';
import { looseSchemeForEcosystem, schemeForEcosystem } from './ecosystems.js';
import { loadLooseSchemeForEcosystem, loadSchemeForEcosystem, SUPPORTED_ECOSYSTEMS } from './on-demand.js';

test('each ecosystem loads its own scheme, the same object schemeForEcosystem hands out', async () => {
  for (const ecosystem of SUPPORTED_ECOSYSTEMS) {
    const loaded = await loadSchemeForEcosystem(ecosystem);
    assert.equal(loaded.id, ecosystemEntry(ecosystem).scheme, ecosystem);
    assert.equal(loaded.ecosystem, ecosystem);
    assert.equal(loaded, schemeForEcosystem(ecosystem), ecosystem);
  }
  assert.equal(await loadSchemeForEcosystem('Ubuntu:22.04:LTS'), schemeForEcosystem('ubuntu'));
  const looseHex = looseSchemeForEcosystem('Hex');
  assert.equal(await loadLooseSchemeForEcosystem('hex'), looseHex);
  assert.equal((await loadLooseSchemeForEcosystem('npm')).compare('1.2.3beta', '1.2.3'), -1);
});

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return assert.fail('expected a throw');
}

test('an unknown ecosystem, or loose mode outside npm, crates.io and Hex, rejects as the root entry throws', async () => {
  const cases: Array<[() => Promise<unknown>, () => unknown]> = [
    [() => loadSchemeForEcosystem('Pub'), () => schemeForEcosystem('Pub')],
    [() => loadLooseSchemeForEcosystem('Debian'), () => looseSchemeForEcosystem('Debian')],
  ];
  for (const [load, get] of cases) {
    const expected = thrownBy(get);
    assert.ok(isCustomsError(expected, 'UNKNOWN_ECOSYSTEM'));
    await assert.rejects(
      load,
      (error: unknown) => isCustomsError(error) && error.toLine() === expected.toLine(),
    );
  }
});
