import { runChecked, runProgram, type ProgramResult } from './program.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface PushOptions {
  creds?: Credentials | null;
  /** Copy every image of an index (`skopeo copy --all`), not just the one for this machine. */
  all?: boolean;
  /** Manifest type written to the registry; default: the source's (OCI here). */
  format?: 'oci' | 'v2s2';
}

/** Pushes `<layoutDir>:<tag>` to `docker://<destRef>` over plain HTTP. */
export async function pushImage(
  layoutDir: string,
  tag: string,
  destRef: string,
  options: PushOptions = {},
): Promise<void> {
  await runChecked('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    ...(options.all ? ['--all'] : []),
    ...(options.format ? ['--format', options.format] : []),
    ...(options.creds ? ['--dest-creds', `${options.creds.username}:${options.creds.password}`] : []),
    `oci:${layoutDir}:${tag}`,
    `docker://${destRef}`,
  ]);
}

/** Copies any skopeo image name to another (e.g. a registry image into an OCI layout: a pull). */
export async function copyImage(from: string, to: string, creds?: Credentials | null): Promise<void> {
  await runChecked('skopeo', [
    'copy',
    '--quiet',
    '--src-tls-verify=false',
    ...(creds ? ['--src-creds', `${creds.username}:${creds.password}`] : []),
    from,
    to,
  ]);
}

/** `skopeo inspect` of an image name (docker://, oci:, oci-archive:, docker-archive:); exit code kept. */
export function inspectImage(
  name: string,
  options: { creds?: Credentials | null; raw?: boolean; config?: boolean } = {},
): Promise<ProgramResult> {
  return runProgram('skopeo', [
    'inspect',
    '--tls-verify=false',
    ...(options.raw ? ['--raw'] : []),
    ...(options.config ? ['--config'] : []),
    ...(options.creds ? ['--creds', `${options.creds.username}:${options.creds.password}`] : []),
    name,
  ]);
}
