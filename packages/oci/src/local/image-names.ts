import {
  formatImageReference,
  parseImageReference,
  type ImageReference,
} from '../reference/image-reference.js';

function tryParse(name: string): ImageReference | null {
  try {
    return parseImageReference(name);
  } catch {
    return null;
  }
}

/** `alpine:3.19` names `docker.io/library/alpine:3.19`; a bare `3.19` names any image tagged 3.19. */
function looselyNames(name: string, wanted: string): boolean {
  const stored = tryParse(name);
  if (stored === null) return false;
  if (/^[\w][\w.-]*$/.test(wanted) && stored.tag === wanted) return true;
  const asked = tryParse(wanted);
  return asked !== null && formatImageReference(asked) === formatImageReference(stored);
}

/**
 * The items one of whose names is exactly `wanted`; failing that, those it names as a docker
 * reference would (`alpine:3.19` for `docker.io/library/alpine:3.19`, a bare tag for `repo:tag`).
 */
export function selectByName<T>(
  items: readonly T[],
  namesOf: (item: T) => readonly string[],
  wanted: string,
): T[] {
  const exact = items.filter((item) => namesOf(item).includes(wanted));
  if (exact.length > 0) return exact;
  return items.filter((item) => namesOf(item).some((name) => looselyNames(name, wanted)));
}

export function allNames<T>(items: readonly T[], namesOf: (item: T) => readonly string[]): string[] {
  return [...new Set(items.flatMap(namesOf))];
}
