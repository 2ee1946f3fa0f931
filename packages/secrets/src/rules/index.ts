import type { SecretRule } from '../rule.js';
import { awsAccessKeyId, awsSecretAccessKey, azureStorageKey, gcpServiceAccount } from './cloud.js';
import {
  dockerConfigAuth,
  dotenvSecret,
  gitCredentials,
  npmrcAuth,
  pypircPassword,
} from './credential-files.js';
import { jwt, openSshPrivateKey, pemPrivateKey, urlPassword } from './keys.js';
import {
  githubFineGrainedPat,
  githubOauth,
  githubPat,
  githubRefresh,
  githubServerToServer,
  githubUserToServer,
  gitlabPat,
  npmToken,
  pypiToken,
  slackToken,
  slackWebhook,
  stripeKey,
} from './tokens.js';

/**
 * Every rule, most specific first: where two rules match the same characters (a GCP key's PEM, a
 * `.git-credentials` line that is also a URL with a password), the earlier one reports it.
 */
export const defaultRules: readonly SecretRule[] = [
  gcpServiceAccount,
  dockerConfigAuth,
  gitCredentials,
  npmrcAuth,
  pypircPassword,
  githubPat,
  githubOauth,
  githubUserToServer,
  githubServerToServer,
  githubRefresh,
  githubFineGrainedPat,
  gitlabPat,
  slackWebhook,
  slackToken,
  stripeKey,
  npmToken,
  pypiToken,
  awsAccessKeyId,
  awsSecretAccessKey,
  azureStorageKey,
  pemPrivateKey,
  openSshPrivateKey,
  jwt,
  urlPassword,
  dotenvSecret,
];
