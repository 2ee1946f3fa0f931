import type { ScanCredential } from '@customs/queue';
import { HarborFieldInvalidError } from './harbor-errors.js';

const BASIC = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i;

/**
 * `registry.authorization` of a scan request: Harbor 2 sends its per-scan robot account as
 * `Basic base64(name:secret)`. Other schemes (Harbor 1.x sent a registry Bearer JWT) are refused: the
 * registry client authenticates with a username and password. The value is never put in an error.
 */
export function parseRegistryAuthorization(authorization: string | undefined): ScanCredential | null {
  if (authorization === undefined || authorization === '') return null;
  const encoded = BASIC.exec(authorization)?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new HarborFieldInvalidError(
      'registry.authorization must be "Basic " and the base64 of name:secret (a robot account)',
    );
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
