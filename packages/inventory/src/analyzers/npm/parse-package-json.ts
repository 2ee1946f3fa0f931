import type { FoundPackage } from '../../package.js';
import { readJsonObject } from '../read-json.js';
import { isRecord, stringAt, stringEntries, type UntypedRecord } from '../untyped.js';

/** The package a `node_modules/<name>/package.json` describes; null when it names no package. */
export function parseInstalledPackageJson(text: string, path: string): FoundPackage | null {
  const manifest = parseJsonObject(text, path);
  const name = stringAt(manifest, 'name')?.trim();
  const version = stringAt(manifest, 'version')?.trim();
  if (!name || !version) return null;
  const licenses = npmLicenses(manifest);
  return { type: 'npm', name, version, path, ...(licenses.length > 0 && { licenses }) };
}

/** What a project's own package.json asks for; used to tell production from development packages. */
export interface ProjectManifest {
  path: string;
  /** `dependencies` and `optionalDependencies`: both are installed in production. */
  production: Array<[name: string, range: string]>;
  development: Array<[name: string, range: string]>;
  /** Workspace globs, relative to the manifest's directory. */
  workspaces: string[];
}

export function parseProjectManifest(text: string, path: string): ProjectManifest {
  const manifest = parseJsonObject(text, path);
  return {
    path,
    production: [
      ...stringEntries(manifest, 'dependencies'),
      ...stringEntries(manifest, 'optionalDependencies'),
    ],
    development: stringEntries(manifest, 'devDependencies'),
    workspaces: workspaceGlobs(manifest.workspaces),
  };
}

/** `license` as a string or `{ type }`, or the legacy `licenses` array; npm has written all three. */
export function npmLicenses(manifest: UntypedRecord): string[] {
  const declared = [manifest.license, ...(Array.isArray(manifest.licenses) ? manifest.licenses : [])];
  return declared.flatMap((license) => {
    const value = isRecord(license) ? license.type : license;
    return typeof value === 'string' && value.trim() !== '' ? [value.trim()] : [];
  });
}

/** npm itself reads package.json and lockfiles that start with a byte-order mark, so these do too. */
export function parseJsonObject(text: string, path: string): UntypedRecord {
  return readJsonObject(stripBom(text), path, 'NPM_FILE_INVALID');
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function workspaceGlobs(value: unknown): string[] {
  const globs = isRecord(value) ? value.packages : value;
  return Array.isArray(globs) ? globs.filter((glob): glob is string => typeof glob === 'string') : [];
}
