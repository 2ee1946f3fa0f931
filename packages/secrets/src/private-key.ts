import { createPrivateKey } from 'node:crypto';

/** True when a PEM block (header to footer) is a private key OpenSSL can read. */
export function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey({ key: pem, format: 'pem' });
    return true;
  } catch (error) {
    // An encrypted key needs its passphrase to be read, which proves it is one.
    return error instanceof Error && /passphrase|bad decrypt/i.test(error.message);
  }
}

/** True when an OpenSSH private key block's body decodes to the `openssh-key-v1` format. */
export function isOpenSshKey(body: string): boolean {
  const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  return bytes.length > 64 && bytes.subarray(0, 15).toString('latin1') === 'openssh-key-v1\0';
}
