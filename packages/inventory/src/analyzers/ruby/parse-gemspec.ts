import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';

/**
 * An installed gem's specification (`<gem dir>/specifications/<name>-<version>.gemspec`), the Ruby
 * source `gem install` writes. It is read, not run: the assignments to the block variable of
 * `Gem::Specification.new do |s|` give the name, version and licenses. Values are Ruby string
 * literals, optionally `.freeze`d or wrapped in `Gem::Version.new(...)`.
 */
export function parseGemspec(text: string, path: string): FoundPackage {
  const variable = /Gem::Specification\.new\s+do\s*\|\s*(\w+)\s*\|/.exec(text)?.[1];
  if (!variable)
    throw new PackageFileError('RUBY_FILE_INVALID', path, 'no `Gem::Specification.new do |s|` block');
  const name = stringAssigned(text, variable, 'name');
  const version = versionAssigned(text, variable);
  if (!name || !version)
    throw new PackageFileError(
      'RUBY_FILE_INVALID',
      path,
      `no literal ${name ? 'version' : 'name'} assignment`,
    );
  const licenses = licensesAssigned(text, variable);
  return { type: 'gem', name, version, ...(licenses.length ? { licenses } : {}), path };
}

const STRING = String.raw`(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|%q[<({[]([^>)}\]]*)[>)}\]])(?:\.freeze)?`;

function assignment(variable: string, attribute: string, value: string): RegExp {
  return new RegExp(String.raw`^\s*${variable}\.${attribute}\s*=\s*${value}`, 'm');
}

function literal(match: RegExpExecArray | null, from = 1): string | null {
  if (!match) return null;
  const value = match[from] ?? match[from + 1] ?? match[from + 2];
  return value === undefined ? null : value.replace(/\\(.)/g, '$1');
}

function stringAssigned(text: string, variable: string, attribute: string): string | null {
  return literal(assignment(variable, attribute, STRING).exec(text));
}

function versionAssigned(text: string, variable: string): string | null {
  const wrapped = String.raw`Gem::Version\.new\(\s*${STRING}\s*\)`;
  return (
    stringAssigned(text, variable, 'version') ?? literal(assignment(variable, 'version', wrapped).exec(text))
  );
}

function licensesAssigned(text: string, variable: string): string[] {
  const list = assignment(variable, 'licenses', String.raw`\[([^\]]*)\]`).exec(text)?.[1];
  const single = stringAssigned(text, variable, 'license');
  if (list === undefined) return single ? [single] : [];
  const items = [...list.matchAll(new RegExp(STRING, 'g'))];
  return items.map((item) => literal(item)).filter((value): value is string => Boolean(value));
}
