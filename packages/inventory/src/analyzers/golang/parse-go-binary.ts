import type { FoundPackage } from '../../package.js';
import { readGoBuildInfo } from './build-info.js';
import { stdlibVersion, versionFromLdflags } from './go-version.js';
import { parseModInfo, type GoModule } from './mod-info.js';

const DEVEL = '(devel)';

/**
 * The Go packages a binary was linked from; null when the file is not a Go binary.
 * - the toolchain, as `stdlib` (also for GOPATH-mode binaries, which record nothing else);
 * - the main module, when it has a version: a module installed with `go install m@v1.2.3` records it,
 *   a build from a checkout records "(devel)", and then only an `-ldflags -X ...version=v1.2.3` stamp
 *   gives one (the approach Trivy documents); without it the main module is left out, since a
 *   package without a version matches no advisory and would only look scanned;
 * - every `dep`, as the code that was really compiled: a `=>` replacement by another module version
 *   reports the replacement (its advisories are the ones that apply), a replacement by a local
 *   directory (version "(devel)") is the user's own code, no published module, and is left out.
 */
export function parseGoBinary(data: Buffer, path: string): FoundPackage[] | null {
  const info = readGoBuildInfo(data);
  if (!info) return null;
  const modInfo = parseModInfo(info.modInfo);
  const packages: FoundPackage[] = [];
  const toolchain = stdlibVersion(info.goVersion);
  if (toolchain) packages.push({ type: 'golang', name: 'stdlib', version: toolchain, path });
  const main = mainModule(modInfo.main, modInfo.settings.get('-ldflags'));
  if (main) packages.push({ type: 'golang', name: main.path, version: main.version, path });
  for (const dep of modInfo.deps) {
    const compiled = compiledModule(dep);
    if (compiled) packages.push({ type: 'golang', name: compiled.path, version: compiled.version, path });
  }
  return packages;
}

function mainModule(main: GoModule | null, ldflags: string | undefined): GoModule | null {
  if (!main) return null;
  if (main.version && main.version !== DEVEL) return main;
  const stamped = ldflags ? versionFromLdflags(ldflags) : null;
  return stamped ? { path: main.path, version: stamped } : null;
}

function compiledModule(dep: GoModule): GoModule | null {
  const module = dep.replace ?? dep;
  if (!module.version || module.version === DEVEL) return null;
  return module;
}
