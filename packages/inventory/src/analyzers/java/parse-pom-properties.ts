/** Maven coordinates: `groupId:artifactId` is the package name Maven advisories use. */
export interface MavenCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

/**
 * `META-INF/maven/<groupId>/<artifactId>/pom.properties`, which Maven writes into every archive it
 * builds. A Java properties file: `key=value`, `key:value` or `key value`, blanks around the
 * separator ignored, `#`/`!` comments, `\` continuing a line. Null when a coordinate is missing or
 * is an unresolved `${...}` placeholder (a template copied into the jar, not a build's output).
 */
export function parsePomProperties(text: string): MavenCoordinates | null {
  const properties = readProperties(text);
  const groupId = properties.get('groupId');
  const artifactId = properties.get('artifactId');
  const version = properties.get('version');
  if (!groupId || !artifactId || !version) return null;
  if ([groupId, artifactId, version].some((value) => value.includes('${'))) return null;
  return { groupId, artifactId, version };
}

function readProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const trimmed = line.trimStart();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(trimmed);
    if (match?.[1]) properties.set(match[1], (match[2] ?? '').trim());
  }
  return properties;
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r\n|\r|\n/)) {
    // A continuation line's leading blanks are not part of the value.
    const line = pending ? raw.trimStart() : raw;
    const continued = /(^|[^\\])(\\\\)*\\$/.test(line);
    pending += continued ? line.slice(0, -1) : line;
    if (continued) continue;
    lines.push(pending);
    pending = '';
  }
  if (pending) lines.push(pending);
  return lines;
}
