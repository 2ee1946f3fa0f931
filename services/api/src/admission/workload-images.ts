/** One image a workload runs, and where: `migrate (spec.template.spec.initContainers[0])`. */
export interface ContainerImage {
  image: string;
  container: string;
}

/** Where each kind keeps its pod spec. Anything else is not looked into. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const ADMITTED_KINDS = Object.keys(POD_SPEC_PATHS);

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every container image of a Pod or of a workload's pod template, init and ephemeral containers
 * included. Null for a kind Customs does not look into; a problem for an object without the shape
 * its kind has (the apiserver would refuse it too, so it is denied rather than guessed at).
 */
export function workloadImages(
  kind: string,
  object: unknown,
): { ok: true; images: ContainerImage[] } | { ok: false; problem: string } | null {
  const path = POD_SPEC_PATHS[kind];
  if (path === undefined) return null;
  let spec: unknown = object;
  for (const [index, key] of path.entries()) {
    if (!isObject(spec))
      return { ok: false, problem: `${path.slice(0, index).join('.') || 'it'} is not an object` };
    spec = spec[key];
  }
  const at = path.join('.');
  if (!isObject(spec)) return { ok: false, problem: `${at} is missing` };
  if (!Array.isArray(spec.containers)) return { ok: false, problem: `${at}.containers is missing` };
  const images: ContainerImage[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (containers === undefined || containers === null) continue;
    if (!Array.isArray(containers)) return { ok: false, problem: `${at}.${list} is not a list` };
    for (const [index, container] of containers.entries()) {
      const where = `${at}.${list}[${index}]`;
      if (!isObject(container)) return { ok: false, problem: `${where} is not an object` };
      if (typeof container.image !== 'string' || container.image.trim() === '') {
        return { ok: false, problem: `${where}.image is missing` };
      }
      const named = typeof container.name === 'string' ? `${container.name} (${where})` : where;
      images.push({ image: container.image.trim(), container: named });
    }
  }
  return { ok: true, images };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
