import { regexRule, type SecretRule } from '../rule.js';
import { hasTokenChecksum } from '../validators.js';

/** GitHub's prefixed tokens (github.blog, 2021-04-05): `gh?_` + 30 random + 6 checksum characters. */
function githubToken(id: string, prefix: string, title: string): SecretRule {
  return regexRule({
    id,
    title,
    severity: 'CRITICAL',
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[A-Za-z0-9]{36}(?![A-Za-z0-9])`, 'g'),
    validate: (secret) => hasTokenChecksum(secret, prefix),
  });
}

export const githubPat = githubToken('github-pat', 'ghp_', 'GitHub personal access token (classic)');
export const githubOauth = githubToken('github-oauth-token', 'gho_', 'GitHub OAuth access token');
export const githubUserToServer = githubToken('github-app-user-token', 'ghu_', 'GitHub App user token');
export const githubServerToServer = githubToken(
  'github-app-installation-token',
  'ghs_',
  'GitHub App installation token',
);
export const githubRefresh = githubToken('github-app-refresh-token', 'ghr_', 'GitHub App refresh token');

/** Fine-grained PATs: `github_pat_` + 22 characters + `_` + 59 characters (no public checksum). */
export const githubFineGrainedPat = regexRule({
  id: 'github-fine-grained-pat',
  title: 'GitHub fine-grained personal access token',
  severity: 'CRITICAL',
  keywords: ['github_pat_'],
  pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9])/g,
});

/** GitLab personal access tokens: `glpat-` + at least 20 URL-safe characters. */
export const gitlabPat = regexRule({
  id: 'gitlab-pat',
  title: 'GitLab personal access token',
  severity: 'CRITICAL',
  keywords: ['glpat-'],
  pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}/g,
});

/** Slack tokens: bot `xoxb-`, user `xoxp-`, app-level `xoxa-`, refresh `xoxr-`, … then dash-separated parts. */
export const slackToken = regexRule({
  id: 'slack-token',
  title: 'Slack token',
  severity: 'HIGH',
  keywords: ['xox'],
  pattern: /(?<![A-Za-z0-9])xox[abeoprs]-[0-9]{6,}-[0-9A-Za-z-]{8,250}/g,
});

/** Slack incoming webhooks: the URL is the credential. */
export const slackWebhook = regexRule({
  id: 'slack-webhook',
  title: 'Slack incoming webhook URL',
  severity: 'MEDIUM',
  keywords: ['hooks.slack.com'],
  pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{8,}\/B[A-Z0-9]{8,}\/[A-Za-z0-9]{24}/g,
});

/** Stripe live secret and restricted keys (`sk_live_`, `rk_live_`); test-mode keys reach no money. */
export const stripeKey = regexRule({
  id: 'stripe-live-key',
  title: 'Stripe live secret key',
  severity: 'CRITICAL',
  keywords: ['sk_live_', 'rk_live_'],
  pattern: /(?<![A-Za-z0-9_])[sr]k_live_[0-9A-Za-z]{24,247}(?![A-Za-z0-9])/g,
});

/** npm's 2021 tokens: `npm_` + 30 random + 6 checksum characters, GitHub's scheme. */
export const npmToken = regexRule({
  id: 'npm-token',
  title: 'npm access token',
  severity: 'CRITICAL',
  keywords: ['npm_'],
  pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
  validate: (secret) => hasTokenChecksum(secret, 'npm_'),
});

/** PyPI API tokens are macaroons whose serialisation starts with the location `pypi.org` (or test.pypi.org). */
export const pypiToken = regexRule({
  id: 'pypi-token',
  title: 'PyPI API token',
  severity: 'CRITICAL',
  keywords: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'],
  pattern: /pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}/g,
});
