import { regexRule } from '../rule.js';
import { isOpenSshKey, isPrivateKey } from '../private-key.js';
import { isJwt } from '../validators.js';

/** PEM private keys (PKCS#1 RSA, SEC1 EC, DSA, PKCS#8, encrypted PKCS#8) that actually parse. */
export const pemPrivateKey = regexRule({
  id: 'private-key',
  title: 'Private key (PEM)',
  severity: 'CRITICAL',
  keywords: ['PRIVATE KEY-----'],
  pattern:
    /-----BEGIN (?<kind>RSA |EC |DSA |ENCRYPTED |)PRIVATE KEY-----[A-Za-z0-9+/=\s:,-]{64,}?-----END \k<kind>PRIVATE KEY-----/g,
  validate: (secret) => isPrivateKey(secret),
});

/** OpenSSH's own private key format (`ssh-keygen` since 7.8). */
export const openSshPrivateKey = regexRule({
  id: 'openssh-private-key',
  title: 'Private key (OpenSSH)',
  severity: 'CRITICAL',
  keywords: ['BEGIN OPENSSH PRIVATE KEY'],
  pattern:
    /-----BEGIN OPENSSH PRIVATE KEY-----(?<body>[A-Za-z0-9+/=\s]{64,}?)-----END OPENSSH PRIVATE KEY-----/g,
  validate: (_secret, match) => isOpenSshKey(match.groups?.body ?? ''),
});

/** JSON Web Tokens whose header (with `alg`) and payload decode to JSON objects, signature present. */
export const jwt = regexRule({
  id: 'jwt',
  title: 'JSON Web Token',
  severity: 'MEDIUM',
  keywords: ['eyJ'],
  pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g,
  validate: isJwt,
});

/** `scheme://user:password@host`: the password part is the secret. */
export const urlPassword = regexRule({
  id: 'url-password',
  title: 'Password in a URL',
  severity: 'HIGH',
  keywords: ['://'],
  pattern:
    /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:@/'"<>()[\]{}\\]+:(?<secret>[^\s@/'"<>()[\]{}\\]{3,})@[A-Za-z0-9][A-Za-z0-9.-]*/g,
});
