import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from test/dist/support/. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Programs the e2e tests drive for real; a missing one fails the run unless e2e is skipped on purpose. */
export const E2E_TOOLS = ['docker-registry', 'skopeo', 'htpasswd', 'openssl'] as const;

/** What test/e2e/images/build.sh produced. */
export interface E2eImages {
  dir: string;
  /** OCI layout with tags app, base-arm64, multi, truncated, secrets. */
  layout: string;
  ociArchive: string;
  dockerArchive: string;
  /** app's final root filesystem, unpacked. */
  rootfs: string;
  /** Ground truth written by real tools (see test/e2e/images/ground-truth.sh). */
  expected: string;
}

export interface E2eEnvironment {
  /** A reason to skip (only when CUSTOMS_SKIP_E2E=1), else false. */
  skip: string | false;
  /** The built images; only call it from tests that are not skipped. */
  images(): E2eImages;
}

/**
 * Checks the tools and the built images once per test file. Anything missing throws, so the file fails
 * loudly, unless CUSTOMS_SKIP_E2E=1 asks to skip the e2e tests.
 */
export function e2eEnvironment(tools: readonly string[] = E2E_TOOLS): E2eEnvironment {
  if (process.env.CUSTOMS_SKIP_E2E === '1') {
    const skip = 'CUSTOMS_SKIP_E2E=1: end-to-end tests skipped';
    return {
      skip,
      images() {
        throw new Error(skip);
      },
    };
  }
  const missing = tools.filter((tool) => !onPath(tool));
  if (missing.length > 0) {
    throw new Error(
      `e2e: missing tools: ${missing.join(', ')}. Install them with test/install-deps.sh, ` +
        'or set CUSTOMS_SKIP_E2E=1 to skip the end-to-end tests.',
    );
  }
  const images = locateImages();
  return { skip: false, images: () => images };
}

function locateImages(): E2eImages {
  const dir = process.env.CUSTOMS_E2E_IMAGES || cacheDir();
  if (!existsSync(join(dir, 'COMPLETE'))) {
    throw new Error(
      `e2e: images not built in ${dir}. Run: sudo bash test/e2e/prepare.sh (npm test does it).`,
    );
  }
  return {
    dir,
    layout: join(dir, 'oci'),
    ociArchive: join(dir, 'archives', 'app-oci.tar'),
    dockerArchive: join(dir, 'archives', 'app-docker.tar'),
    rootfs: join(dir, 'rootfs'),
    expected: join(dir, 'expected'),
  };
}

/** The same cache path prepare.sh computes, for runs that did not go through it. */
function cacheDir(): string {
  const script = join(REPO_ROOT, 'test', 'e2e', 'images', 'cache-dir.sh');
  return execFileSync('bash', [script], { encoding: 'utf8' }).trim();
}

export function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
