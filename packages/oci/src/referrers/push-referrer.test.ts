import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { pushReferrer } from './push-referrer.js';
import { referrersTag } from './referrers-index.js';

const SUBJECT_BYTES = Buffer.from(
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}',
);
const SUBJECT = `sha256:${createHash('sha256').update(SUBJECT_BYTES).digest('hex')}`;

/**
 * A registry that stores what is pushed, in memory: with `referrersApi` it answers manifest pushes
 * with OCI-Subject (as distribution-spec 1.1 registries do), without it it does not (Distribution 2.x).
 */
function miniRegistry(options: { referrersApi: boolean }) {
  const manifests = new Map<string, { type: string; body: Buffer }>();
  const blobs = new Set<string>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const url = new URL(request.url ?? '/', 'http://x');
      requests.push(`${request.method} ${url.pathname}`);
      const manifest = /^\/v2\/team\/app\/manifests\/(.+)$/.exec(url.pathname)?.[1];
      if (request.method === 'HEAD' && url.pathname.startsWith('/v2/team/app/blobs/')) {
        response.writeHead(blobs.has(url.pathname.split('/').at(-1) ?? '') ? 200 : 404).end();
      } else if (request.method === 'POST' && url.pathname === '/v2/team/app/blobs/uploads/') {
        response.writeHead(202, { location: '/v2/team/app/blobs/uploads/1' }).end();
      } else if (request.method === 'PUT' && url.pathname === '/v2/team/app/blobs/uploads/1') {
        blobs.add(url.searchParams.get('digest') ?? '');
        response.writeHead(201).end();
      } else if (manifest !== undefined && request.method === 'PUT') {
        manifests.set(manifest, { type: request.headers['content-type'] ?? '', body });
        const subject = (JSON.parse(body.toString()) as { subject?: { digest: string } }).subject;
        response
          .writeHead(201, options.referrersApi && subject ? { 'oci-subject': subject.digest } : {})
          .end();
      } else if (manifest !== undefined) {
        const stored = manifests.get(manifest);
        if (!stored) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': stored.type, 'content-length': stored.body.length });
        response.end(request.method === 'HEAD' ? undefined : stored.body);
      } else response.writeHead(404).end();
    })();
  });
  manifests.set(SUBJECT, { type: 'application/vnd.oci.image.manifest.v1+json', body: SUBJECT_BYTES });
  return { server, manifests, requests };
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function started(registry: ReturnType<typeof miniRegistry>): Promise<string> {
  return new Promise((resolve) =>
    registry.server.listen(0, '127.0.0.1', () =>
      resolve(`127.0.0.1:${(registry.server.address() as AddressInfo).port}`),
    ),
  );
}

const push = (host: string, content = '{"sbom":1}') =>
  pushReferrer({
    subject: `${host}/team/app@${SUBJECT}`,
    artifactType: 'application/spdx+json',
    mediaType: 'application/spdx+json',
    content: Buffer.from(content),
    annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
  });

describe('pushReferrer', () => {
  for (const referrersApi of [true, false]) {
    describe(referrersApi ? 'registry with the referrers API' : 'registry without it', () => {
      let registry: ReturnType<typeof miniRegistry>;
      let host = '';
      before(async () => {
        registry = miniRegistry({ referrersApi });
        host = await started(registry);
      });
      after(() => new Promise<void>((resolve) => registry.server.close(() => resolve())));
      beforeEach(() => registry.requests.splice(0));

      it(
        referrersApi
          ? 'leaves the listing to the registry'
          : 'lists the artifact in the sha256-<hex> index, once',
        async () => {
          const pushed = await push(host);
          const stored = registry.manifests.get(pushed.descriptor.digest);
          assert.ok(stored);
          const manifest = JSON.parse(stored.body.toString()) as Record<string, unknown>;
          assert.deepEqual(manifest.subject, {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: SUBJECT,
            size: SUBJECT_BYTES.length,
          });
          assert.equal(manifest.artifactType, 'application/spdx+json');
          const tag = referrersTag(SUBJECT);
          if (referrersApi) {
            assert.deepEqual([pushed.listedBy, pushed.fallbackTag], ['api', null]);
            assert.equal(registry.manifests.has(tag), false);
            assert.ok(
              !registry.requests.some((line) => line.includes(tag)),
              'the fallback tag is not touched',
            );
            return;
          }
          assert.deepEqual([pushed.listedBy, pushed.fallbackTag], ['tag', tag]);
          await push(host); // the same artifact again: no duplicate entry
          await push(host, '{"sbom":2}');
          const index = JSON.parse(registry.manifests.get(tag)?.body.toString() ?? '{}') as {
            manifests: Array<{ digest: string; artifactType: string; annotations: Record<string, string> }>;
          };
          assert.equal(registry.manifests.get(tag)?.type, 'application/vnd.oci.image.index.v1+json');
          assert.equal(index.manifests.length, 2);
          assert.equal(index.manifests[0]?.digest, pushed.descriptor.digest);
          assert.equal(index.manifests[0]?.artifactType, 'application/spdx+json');
          assert.deepEqual(index.manifests[0]?.annotations, {
            'org.opencontainers.image.created': '2026-01-01T00:00:00Z',
          });
        },
      );
    });
  }

  it('a fallback tag that holds something else than an index is REFERRERS_INDEX_INVALID, and is left alone', async () => {
    const registry = miniRegistry({ referrersApi: false });
    const host = await started(registry);
    try {
      const tag = referrersTag(SUBJECT);
      const squatter = {
        type: 'application/vnd.oci.image.manifest.v1+json',
        body: Buffer.from('{"layers":[]}'),
      };
      registry.manifests.set(tag, squatter);
      await assert.rejects(push(host), (error) => isCustomsError(error, 'REFERRERS_INDEX_INVALID'));
      assert.equal(registry.manifests.get(tag), squatter);
    } finally {
      await new Promise<void>((resolve) => registry.server.close(() => resolve()));
    }
  });
});
