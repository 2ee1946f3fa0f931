import { regexRule, type RawMatch, type SecretRule } from '../rule.js';
import { isPrivateKey } from '../private-key.js';
import { base64Length, entropy } from '../validators.js';

/** AWS access key ids: a 4-letter kind (`AKIA` long-term, `ASIA` temporary, …) and 16 base32 characters. */
export const awsAccessKeyId = regexRule({
  id: 'aws-access-key-id',
  title: 'AWS access key ID',
  severity: 'HIGH',
  keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/g,
});

/**
 * AWS secret access keys are 40 base64 characters with nothing to recognise them by: only a value
 * assigned to a name that says so (`aws_secret_access_key = …`, `"SecretAccessKey": "…"`), and random.
 */
export const awsSecretAccessKey = regexRule({
  id: 'aws-secret-access-key',
  title: 'AWS secret access key',
  severity: 'CRITICAL',
  keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key'],
  pattern: /secret[_-]?access[_-]?key["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  validate: (secret) => entropy(secret) > 4,
});

/** A Google Cloud service-account key file: `private_key` holds a PEM key beside a `client_email`. */
export const gcpServiceAccount: SecretRule = {
  id: 'gcp-service-account-key',
  title: 'Google Cloud service account private key',
  severity: 'CRITICAL',
  keywords: ['"private_key"'],
  find(text) {
    if (!/"client_email"\s*:/.test(text)) return [];
    const found: RawMatch[] = [];
    for (const match of text.matchAll(/"private_key"\s*:\s*"(?<secret>-----BEGIN[^"]+)"/g)) {
      const secret = match.groups?.secret ?? '';
      if (!isPrivateKey(secret.replaceAll('\\n', '\n'))) continue;
      found.push({ index: (match.index ?? 0) + match[0].indexOf(secret), secret });
    }
    return found;
  },
};

/** Azure storage account keys (`AccountKey=` in connection strings): 64 random bytes in base64. */
export const azureStorageKey = regexRule({
  id: 'azure-storage-account-key',
  title: 'Azure storage account key',
  severity: 'CRITICAL',
  keywords: ['AccountKey'],
  pattern: /AccountKey\s*=\s*(?<secret>[A-Za-z0-9+/]{86}==)/g,
  validate: (secret) => base64Length(secret) === 64,
});
