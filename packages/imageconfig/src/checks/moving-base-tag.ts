import type { ConfigCheck, CheckHit } from '../config-check.js';
import { historyLines, instructionOf } from '../history-lines.js';

const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';
const BASE_DIGEST_LABEL = 'org.opencontainers.image.base.digest';

/** The tag of a reference: `debian:12` → `12`; none (`debian`, `host:5000/debian`) → `latest`. */
function tagOf(reference: string): string {
  const name = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  return colon < 0 ? 'latest' : name.slice(colon + 1);
}

function movingBase(reference: string, location: string): CheckHit[] {
  if (reference.includes('@sha256:') || reference === 'scratch') return [];
  if (tagOf(reference) !== 'latest') return [];
  return [{ detail: `FROM ${reference} (the latest tag, not a digest)`, location }];
}

/**
 * Builders rarely record FROM in the history, so this looks where they do: a `FROM` history line
 * (buildah, some CI tools) and the OCI base-image labels, unless the label names the base digest.
 */
export const movingBaseTag: ConfigCheck = {
  id: 'CFG008',
  severity: 'MEDIUM',
  title: 'Built FROM a moving tag',
  remediation:
    'Pin the base image by digest (`FROM debian:12@sha256:…`) and let a bot (Renovate, Dependabot) move the pin: a rebuild then gets the base you tested.',
  run(config) {
    const fromHistory = historyLines(config).flatMap(({ index, text }) => {
      const match = /^FROM\s+(?:--\S+\s+)*(\S+)/i.exec(instructionOf(text));
      return match ? movingBase(match[1] as string, `history[${index}].created_by`) : [];
    });
    const labels = config.config?.Labels ?? {};
    const base = labels[BASE_NAME_LABEL];
    const fromLabel =
      base && !labels[BASE_DIGEST_LABEL] ? movingBase(base, `config.Labels["${BASE_NAME_LABEL}"]`) : [];
    return [...fromHistory, ...fromLabel];
  },
};
