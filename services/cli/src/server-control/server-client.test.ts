import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { createServerClient } from './server-client.js';

const control = (url: string) => ({ pid: 4242, url, tokenId: 'id', token: 'cst_control' });

describe('the client of a running customs serve', () => {
  let server: Server;
  let url = '';
  const seen: Array<{ method?: string; url?: string; authorization?: string }> = [];

  before(async () => {
    server = createServer((request, response) => {
      seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
      if (request.url === '/v1/tokens/gone') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { code: 'TOKEN_NOT_FOUND', message: 'token gone does not exist' } }),
        );
        return;
      }
      if (request.url === '/v1/db/imports') {
        response.writeHead(422, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: {
              code: 'SOURCE_UNREADABLE',
              message: 'cannot read advisories from /x: ENOENT',
              hint: 'check it',
            },
          }),
        );
        return;
      }
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>bad gateway</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("passes the server's error on with its code, message and hint, and sends its own token", async () => {
    await assert.rejects(
      createServerClient(control(url)).importAdvisories('/x', { allowLoopbackHttp: false }),
      (error) => {
        assert.ok(isCustomsError(error, 'SOURCE_UNREADABLE'));
        assert.equal(error.toLine(), 'cannot read advisories from /x: ENOENT (check it)');
        return true;
      },
    );
    assert.equal(seen.at(-1)?.authorization, 'Bearer cst_control');
  });

  it('answers false for a token the server does not know, as the store does', async () => {
    assert.equal(await createServerClient(control(url)).tokens.revoke('gone'), false);
  });

  it('names an answer that is not the contract, and a server that does not answer', async () => {
    await assert.rejects(createServerClient(control(url)).vulnDbStatus(), (error) =>
      isCustomsError(error, 'SERVER_ANSWER_INVALID'),
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(createServerClient(control(`http://127.0.0.1:${port}`)).tokens.list(), (error) => {
      assert.ok(isCustomsError(error, 'SERVER_UNREACHABLE'));
      assert.match(
        error.message,
        /customs serve \(pid 4242\) has the database open, but its API at .* did not answer/,
      );
      return true;
    });
  });
});
