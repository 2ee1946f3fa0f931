import { basename, regexRule, type RawMatch, type SecretRule } from '../rule.js';

/** `.env`, `.env.production`, `app.env`: dotenv files. */
const isDotenv = (path: string): boolean => /^(\.env(\..+)?|.+\.env)$/.test(basename(path));

/** A variable whose name says it holds a credential, in a dotenv file. */
export const dotenvSecret = regexRule({
  id: 'dotenv-secret',
  title: 'Credential in a .env file',
  severity: 'HIGH',
  keywords: ['='],
  appliesTo: isDotenv,
  pattern:
    /^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)[A-Za-z0-9_]*[ \t]*=[ \t]*["']?(?<secret>[^\s"'#]{6,})/gim,
});

/** npm registry credentials in `.npmrc`: `_authToken`, `_auth` (base64 user:password), `_password`. */
export const npmrcAuth = regexRule({
  id: 'npmrc-auth',
  title: 'Registry credential in .npmrc',
  severity: 'CRITICAL',
  keywords: ['_auth', '_password'],
  appliesTo: (path) => basename(path) === '.npmrc' || basename(path) === 'npmrc',
  pattern: /(?:_authToken|_auth|_password)[ \t]*=[ \t]*["']?(?<secret>[^\s"']{6,})/g,
});

/** `password = …` in a `.pypirc` (twine/setuptools upload credentials). */
export const pypircPassword = regexRule({
  id: 'pypirc-password',
  title: 'Package index password in .pypirc',
  severity: 'CRITICAL',
  keywords: ['password'],
  appliesTo: (path) => basename(path) === '.pypirc',
  pattern: /^[ \t]*password[ \t]*[:=][ \t]*(?<secret>\S{4,})/gim,
});

/** `.docker/config.json` (and Podman's auth.json): `auths.<registry>.auth` is base64 of `user:password`. */
export const dockerConfigAuth: SecretRule = {
  id: 'docker-config-auth',
  title: 'Registry credential in a Docker config',
  severity: 'CRITICAL',
  keywords: ['"auth"', '"identitytoken"'],
  appliesTo: (path) => path.endsWith('.docker/config.json') || path.endsWith('containers/auth.json'),
  find(text) {
    const found: RawMatch[] = [];
    for (const match of text.matchAll(/"(?:auth|identitytoken)"\s*:\s*"(?<secret>[^"]{8,})"/g)) {
      const secret = match.groups?.secret ?? '';
      if (match[0].startsWith('"auth"') && !holdsPassword(secret)) continue;
      found.push({ index: (match.index ?? 0) + match[0].lastIndexOf(secret), secret });
    }
    return found;
  },
};

function holdsPassword(auth: string): boolean {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 1;
}

/** git's credential store: one `https://user:token@host` per line. */
export const gitCredentials = regexRule({
  id: 'git-credentials',
  title: 'Credential in .git-credentials',
  severity: 'CRITICAL',
  keywords: ['://'],
  appliesTo: (path) => basename(path) === '.git-credentials',
  pattern: /^[a-z][a-z0-9+.-]*:\/\/[^:\s/@]+:(?<secret>[^@\s]+)@/gim,
});
