import { loadSigningKey } from '@customs/attestations';
import type { ServiceConfig } from '@customs/config';
import { matchInventory } from '@customs/matcher';
import { toInventoryDocument, toScanDocument, toVulnerabilityData } from '@customs/report';
import type { ScanAttestations } from '@customs/scans';
import type { Store } from '@customs/store';
import { createVulnDbReader, readDataStatus } from '@customs/vulndb';

/**
 * `attestations.push`: the signing key loaded once, at start (a missing or wrong key stops the worker
 * there, not every scan later), and each attestation's result: the image's report against the
 * vulnerability data in the same database, as `GET /v1/images/{digest}/report` and `customs scan
 * --format json` shape it. Null when pushing is off.
 */
export async function scanAttestations(
  config: ServiceConfig,
  store: Pick<Store, 'db'>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ScanAttestations | null> {
  const { push, signingKey, sbomFormat } = config.attestations;
  if (!push || signingKey === undefined) return null;
  const signer = await loadSigningKey(signingKey, env);
  const reader = await createVulnDbReader(store.db);
  return {
    signer,
    sbomFormat,
    async describe(image, target) {
      const status = await readDataStatus(store.db);
      const match = await matchInventory(image, reader);
      const vulnerabilityData = toVulnerabilityData(await reader.status());
      return {
        result: toScanDocument(toInventoryDocument(target, image), match, { vulnerabilityData }),
        db: { uri: status.current?.origin ?? 'unknown', version: String(status.current?.version ?? 0) },
      };
    },
  };
}
