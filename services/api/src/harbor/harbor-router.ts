import express, { type NextFunction, type Request, type Response } from 'express';
import { acceptScan } from './accept-scan.js';
import { requireHarborToken } from './harbor-auth.js';
import type { HarborAdapterDeps } from './harbor-deps.js';
import { harborErrorResponder } from './harbor-errors.js';
import { createScanRequestCheck, loadHarborSpec } from './harbor-spec.js';
import { isScanRequestType, metadataTypeFor, MIME, reportKindOf } from './media-types.js';
import { scannerMetadata } from './metadata.js';
import { scanReport } from './scan-report.js';

/** Harbor's 5 s client timeout, less what the rest of an answer takes. */
const METADATA_TIMEOUT_MS = 3_000;

/**
 * Harbor's pluggable scanner adapter API (spec v1.2), to be mounted at `/api/v1`: its own bearer
 * token, its own MIME types and error documents, scan requests checked against the spec itself.
 * Every answer is quick: scans are queued through @customs/scans and run by the workers.
 */
export function createHarborRouter(deps: HarborAdapterDeps): express.Router {
  const checkScanRequest = createScanRequestCheck(loadHarborSpec());
  const router = express.Router();
  router.use(requireHarborToken(deps.harbor.token));
  router.get(
    '/metadata',
    handle(async (request, response) => {
      const body = await scannerMetadata(deps, METADATA_TIMEOUT_MS);
      sendJson(response, 200, metadataTypeFor(request.headers.accept), body);
    }),
  );
  router.post(
    '/scan',
    express.json({ type: (request) => isScanRequestType(request.headers['content-type']), limit: '64kb' }),
    handle(async (request, response) => {
      const body = await acceptScan(deps, checkScanRequest, request.body);
      sendJson(response, 202, MIME.scanResponse, body);
    }),
  );
  router.get(
    '/scan/:scan_request_id/report',
    handle(async (request, response) => {
      const id = String(request.params.scan_request_id);
      const kind = reportKindOf(request.headers.accept);
      const answer = await scanReport(deps, id, kind, request.query.sbom_media_type);
      if (!answer.ready) {
        // Harbor polls again after Refresh-After seconds (it reads it as an 8-bit integer).
        response
          .status(302)
          .set('Refresh-After', String(deps.harbor.refreshAfterSeconds))
          .set('Location', request.originalUrl)
          .end();
        return;
      }
      sendJson(response, 200, answer.mediaType, answer.body);
    }),
  );
  router.use(harborErrorResponder(deps.logger));
  return router;
}

/** Express 5 passes a rejected promise to the error handler; this keeps the handlers' types plain. */
function handle(work: (request: Request, response: Response) => Promise<void>) {
  return (request: Request, response: Response, next: NextFunction): void => {
    work(request, response).catch(next);
  };
}

/** JSON with the spec's exact MIME type (express would add a charset to `type()`). */
function sendJson(response: Response, status: number, mediaType: string, body: unknown): void {
  response
    .status(status)
    .set('Content-Type', mediaType)
    .send(Buffer.from(JSON.stringify(body)));
}
