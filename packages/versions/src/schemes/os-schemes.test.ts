import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deb, verrevcmp } from './deb.js';
import { rpm, rpmvercmp } from './rpm.js';

test('deb: epoch first, ~ before everything, letters before symbols', () => {
  assert.equal(deb.compare('1:1.0', '2.0'), 1);
  assert.equal(deb.compare('1.0~rc1', '1.0'), -1);
  assert.equal(deb.compare('1.0~~', '1.0~'), -1);
  assert.equal(deb.compare('1.0a', '1.0+'), -1);
  assert.equal(deb.compare('1.0-1', '1.0-1ubuntu0.1'), -1);
  assert.equal(deb.compare('0.0.0', '0:0.0.0-0'), 0);
  assert.equal(verrevcmp('010', '10'), 0);
});

test('deb: dpkg errors make a version invalid; dpkg warnings still order but are not valid', () => {
  for (const bad of ['', ' ', '1 2', 'a:1', ':1', '1:', '1.0-', '-1', '99999999999:1']) {
    assert.equal(deb.isValid(bad), false, bad);
    assert.throws(() => deb.parse(bad), bad);
  }
  assert.equal(deb.isValid('abc'), false);
  assert.equal(deb.compare('abc', 'abd'), -1, 'dpkg --compare-versions still orders it');
  assert.equal(deb.isValid('1.2.3-4'), true);
});

test('rpm: epoch, version, release; ~ pre-release, ^ post-release snapshot', () => {
  assert.equal(rpm.compare('1:1.0-1', '2.0-1'), 1);
  assert.equal(rpm.compare('0:1.0-1', '1.0-1'), 0);
  assert.equal(rpm.compare('1.0~rc1-1', '1.0-1'), -1);
  assert.equal(rpm.compare('1.0^git1-1', '1.0-1'), 1);
  assert.equal(rpm.compare('1.0^git1-1', '1.0.1-1'), -1);
  assert.equal(rpm.compare('2.4.21-9.EL', '2.4.21-9.0.1.EL'), -1);
  assert.equal(rpm.compare('1.0', '1.0-1'), -1, 'no release sorts before a release');
  assert.equal(rpmvercmp('1.0010', '1.9'), 1);
  assert.equal(rpm.isValid(''), false);
  assert.equal(rpm.isValid('1:-1'), false);
});
