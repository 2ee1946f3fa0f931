import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstRunWarnings, type FirstRunFacts } from './first-run-warnings.js';

const ALL_ROLES = ['webhook', 'api', 'worker'];

/** `customs serve` with no CUSTOMS_CONFIG, no CUSTOMS_ADMIN_TOKEN, nothing imported, no token made. */
const bare: FirstRunFacts = {
  config: { registries: [], webhooks: {}, bootstrapToken: null },
  roles: ALL_ROLES,
  activeAdminTokens: 0,
  anyAdvisories: false,
};

const problems = (facts: FirstRunFacts) => firstRunWarnings(facts).map((warning) => warning.problem);

describe('first-run warnings', () => {
  it('a bare serve says it can receive nothing, scan nothing, judge nothing and let nobody in, and what to do', () => {
    const warnings = firstRunWarnings(bare);
    assert.deepEqual(
      warnings.map((warning) => warning.problem.split(':')[0]),
      [
        'no webhook source is configured',
        'no registry is configured',
        'no vulnerability data is imported',
        'no admin API token exists and CUSTOMS_ADMIN_TOKEN is not set',
      ],
    );
    assert.match(warnings[0]?.fix ?? '', /CUSTOMS_CONFIG .*webhooks:/);
    assert.match(warnings[1]?.fix ?? '', /CUSTOMS_CONFIG .*registries:/);
    assert.match(warnings[2]?.fix ?? '', /customs db import/);
    assert.match(warnings[3]?.fix ?? '', /customs token create --name admin --scope admin on this machine/);
  });

  it('is silent once each thing is set', () => {
    const configured: FirstRunFacts = {
      config: {
        registries: [{ host: 'registry.example.com', aliases: [], insecure: false, credentials: null }],
        webhooks: { distribution: { authorization: 'Bearer x' } },
        bootstrapToken: null,
      },
      roles: ALL_ROLES,
      activeAdminTokens: 1,
      anyAdvisories: true,
    };
    assert.deepEqual(problems(configured), []);
    assert.deepEqual(
      problems({
        ...configured,
        activeAdminTokens: 0,
        config: { ...configured.config, bootstrapToken: 'cst_x' },
      }),
      [],
    );
  });

  it('warns each role only about what it does', () => {
    assert.deepEqual(problems({ ...bare, roles: ['worker'] }), [problems(bare)[1]]);
    assert.equal(problems({ ...bare, roles: ['webhook'] }).length, 1);
    // What could not be read is not a claim that nothing is imported.
    assert.equal(problems({ ...bare, roles: ['api'], anyAdvisories: null }).length, 2);
  });

  it('with a shared database, says where the token command must point', () => {
    const [tokenWarning] = firstRunWarnings({
      ...bare,
      roles: ['api'],
      anyAdvisories: true,
      config: {
        ...bare.config,
        registries: [{ host: 'r', aliases: [], insecure: false, credentials: null }],
        database: 'postgres://db/customs',
      },
    });
    assert.match(tokenWarning?.fix ?? '', /with DATABASE_URL set to this database/);
  });
});
