import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import type { TokenAuth } from '../auth/token-auth.js';
import { loadContract } from '../contract/load-contract.js';
import { createRequestValidators } from '../contract/request-validator.js';
import { mountOperations, type Handler } from './typed-operations.js';

describe('handlers are typed from the contract', () => {
  it('does not compile a wrong status, a wrong body or a wrong input (checked by tsc)', () => {
    // @ts-expect-error getScan declares no 201 response
    const wrongStatus: Handler<'getScan'> = async () => ({ status: 201, body: undefined });
    // @ts-expect-error a Scan's attempts is a number
    const wrongBody: Handler<'getScan'> = async () => ({ status: 200, body: { attempts: 'three' } });
    const wrongInput: Handler<'getScan'> = async ({ path }) => {
      // @ts-expect-error getScan's path has an id, no digest
      void path.digest;
      throw new Error('not called');
    };
    const health: Handler<'getHealth'> = async () => ({ status: 200, body: { status: 'ok' } });
    assert.equal(typeof wrongStatus, 'function');
    assert.equal(typeof wrongBody, 'function');
    assert.equal(typeof wrongInput, 'function');
    assert.equal(typeof health, 'function');
  });

  it('refuses to mount a contract operation without a handler', () => {
    const contract = loadContract();
    const auth: TokenAuth = {
      authenticate: async () => Promise.reject(new Error('unused')),
      forget: () => undefined,
    };
    const partial = Object.fromEntries(
      contract.operations
        .filter((operation) => operation.operationId !== 'getScan')
        .map((operation) => [operation.operationId, async () => ({ status: 200, body: undefined })]),
    );
    const mount = () =>
      mountOperations(
        express(),
        // @ts-expect-error a Handlers object without getScan does not compile either
        partial,
        { contract, validators: createRequestValidators(contract), auth },
      );
    assert.throws(mount, /the contract's operation getScan has no handler/);
  });
});
