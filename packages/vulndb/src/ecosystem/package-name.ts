/** Ecosystems whose registries treat names case-insensitively: names are compared in lower case. */
const CASE_INSENSITIVE = new Set(['NuGet', 'Packagist', 'crates.io']);

/**
 * The key a package name is looked up by within an ecosystem base: PyPI names by PEP 503 (`Jinja2`,
 * `jinja2` and `jinja_2` are one project), case-insensitive registries in lower case, all others as
 * published (Go module paths, Maven coordinates and RPM names are case-sensitive).
 */
export function packageNameKey(base: string, name: string): string {
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (CASE_INSENSITIVE.has(base)) return name.toLowerCase();
  return name;
}
