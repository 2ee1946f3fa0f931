export {
  awsAccessKeyId,
  awsSecretAccessKey,
  azureAccountKey,
  checksummedToken,
  hmacJwt,
  randomFrom,
  rsaPrivateKeyPem,
} from './generate.js';
