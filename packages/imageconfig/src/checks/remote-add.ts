import type { ConfigCheck } from '../config-check.js';
import { historyLines, instructionOf } from '../history-lines.js';

const REMOTE_ADD = /^ADD\s+(?:--\S+\s+)*((?:https?|ftp):\/\/\S+|git@\S+)/i;

export const remoteAdd: ConfigCheck = {
  id: 'CFG004',
  severity: 'MEDIUM',
  title: 'ADD fetches a remote URL',
  remediation:
    'Download with RUN curl/wget and verify a checksum (or use `ADD --checksum=sha256:…`), or COPY a file vetted beforehand: ADD of a URL trusts whatever the server sends at build time.',
  run(config) {
    return historyLines(config).flatMap(({ index, text }) => {
      const match = REMOTE_ADD.exec(instructionOf(text));
      if (!match || /--checksum=/.test(text)) return [];
      return [
        { detail: `ADD ${stripCredentials(match[1] as string)}`, location: `history[${index}].created_by` },
      ];
    });
  },
};

/** `https://user:pass@host/…` → `https://<redacted>@host/…`: a URL may carry its own secret. */
function stripCredentials(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^/@\s]+@/i, '$1<redacted>@');
}
