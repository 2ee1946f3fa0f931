import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeBlob } from './fake-images.js';

export interface BlobBreaks {
  afterBytes: number;
  times?: number;
  digest?: string;
}

/**
 * Answers blob GETs the way registries and S3 do: the whole blob, or `Range: bytes=N-` as a 206
 * when range requests are on; and, while breaks are left, a body cut off after `afterBytes` bytes
 * (the full Content-Length promised, then the socket destroyed), as a flaky network does.
 */
export class FakeBlobResponder {
  #breaksLeft: number;

  constructor(
    private readonly rangeRequests: boolean,
    private readonly breaks: BlobBreaks | undefined,
  ) {
    this.#breaksLeft = breaks ? (breaks.times ?? 1) : 0;
  }

  #shouldBreak(stored: FakeBlob, length: number): boolean {
    const breaks = this.breaks;
    if (!breaks || this.#breaksLeft === 0 || length <= breaks.afterBytes) return false;
    if ((breaks.digest ?? stored.digest) !== stored.digest) return false;
    this.#breaksLeft -= 1;
    return true;
  }

  respond(request: IncomingMessage, response: ServerResponse, stored: FakeBlob): void {
    const bytes = stored.bytes;
    const match = this.rangeRequests ? /^bytes=(\d+)-$/.exec(request.headers.range ?? '') : null;
    const start = match?.[1] === undefined ? 0 : Number(match[1]);
    const body = bytes.subarray(start);
    const headers = {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      ...(this.rangeRequests && { 'accept-ranges': 'bytes' }),
    };
    const range = { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` };
    response.writeHead(match ? 206 : 200, match ? { ...headers, ...range } : headers);
    if (this.#shouldBreak(stored, body.length)) {
      response.write(body.subarray(0, this.breaks?.afterBytes), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  }
}
