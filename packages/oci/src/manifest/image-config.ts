import type { ErrorContext } from '@customs/errors';
import { ConfigInvalidError } from '../errors.js';
import type { ImageConfig, LayerDescriptor, Platform } from '../image-source.js';
import type { Descriptor } from './parse-manifest.js';
import { isJsonObject } from '../json-object.js';

type HistoryEntry = NonNullable<ImageConfig['history']>[number];
type RuntimeConfig = NonNullable<ImageConfig['config']>;

function stringList(value: unknown): string[] | null | undefined {
  if (value === null) return null;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function readLabels(value: unknown): Record<string, string> | null | undefined {
  if (value === null) return null;
  if (!isJsonObject(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function readExposedPorts(value: unknown): Record<string, unknown> | null | undefined {
  if (value === null) return null;
  return isJsonObject(value) ? Object.fromEntries(Object.keys(value).map((port) => [port, {}])) : undefined;
}

function readHealthcheck(value: unknown): { Test?: string[] } | null | undefined {
  if (value === null) return null;
  if (!isJsonObject(value)) return undefined;
  const test = stringList(value.Test);
  return test ? { Test: test } : {};
}

function readRuntimeConfig(value: unknown): RuntimeConfig | undefined {
  if (!isJsonObject(value)) return undefined;
  const [env, entrypoint, cmd] = [stringList(value.Env), stringList(value.Entrypoint), stringList(value.Cmd)];
  const labels = readLabels(value.Labels);
  const [ports, healthcheck] = [readExposedPorts(value.ExposedPorts), readHealthcheck(value.Healthcheck)];
  return {
    ...(env !== undefined && { Env: env }),
    ...(entrypoint !== undefined && { Entrypoint: entrypoint }),
    ...(cmd !== undefined && { Cmd: cmd }),
    ...(labels !== undefined && { Labels: labels }),
    ...(typeof value.User === 'string' && { User: value.User }),
    ...(ports !== undefined && { ExposedPorts: ports }),
    ...(healthcheck !== undefined && { Healthcheck: healthcheck }),
  };
}

function readHistoryEntry(value: unknown): HistoryEntry {
  if (!isJsonObject(value)) return {};
  return {
    ...(typeof value.created === 'string' && { created: value.created }),
    ...(typeof value.created_by === 'string' && { created_by: value.created_by }),
    ...(typeof value.empty_layer === 'boolean' && { empty_layer: value.empty_layer }),
    ...(typeof value.comment === 'string' && { comment: value.comment }),
  };
}

function readRootfs(value: unknown): ImageConfig['rootfs'] {
  if (!isJsonObject(value)) return undefined;
  const diffIds = stringList(value.diff_ids);
  return {
    ...(typeof value.type === 'string' && { type: value.type }),
    ...(diffIds && { diff_ids: diffIds }),
  };
}

/** Keeps the fields of an image config Customs reads, each only when it has the right type. */
export function parseImageConfig(bytes: Uint8Array, digest: string, context: ErrorContext = {}): ImageConfig {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ConfigInvalidError(digest, 'it is not JSON', context, error);
  }
  if (!isJsonObject(body)) throw new ConfigInvalidError(digest, 'it is not a JSON object', context);
  const runtime = readRuntimeConfig(body.config);
  const rootfs = readRootfs(body.rootfs);
  return {
    ...(typeof body.architecture === 'string' && { architecture: body.architecture }),
    ...(typeof body.os === 'string' && { os: body.os }),
    ...(typeof body.variant === 'string' && { variant: body.variant }),
    ...(typeof body.created === 'string' && { created: body.created }),
    ...(runtime && { config: runtime }),
    ...(rootfs && { rootfs }),
    ...(Array.isArray(body.history) && { history: body.history.map(readHistoryEntry) }),
  };
}

export function platformOfConfig(config: ImageConfig): Platform | null {
  if (config.os === undefined || config.architecture === undefined) return null;
  const { os, architecture, variant } = config;
  return variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * Pairs each manifest layer with its diff ID and the history entry that made it. History entries
 * marked empty_layer made no layer and are skipped. When the counts disagree the pairing cannot be
 * trusted, so the field is null for every layer rather than attached to the wrong one.
 */
export function describeLayers(layers: readonly Descriptor[], config: ImageConfig | null): LayerDescriptor[] {
  const diffIds = config?.rootfs?.diff_ids ?? [];
  const history = (config?.history ?? []).filter((entry) => entry.empty_layer !== true);
  const diffIdsFit = diffIds.length === layers.length;
  const historyFits = history.length === layers.length;
  return layers.map((layer, index) => ({
    digest: layer.digest,
    mediaType: layer.mediaType,
    size: layer.size,
    diffId: diffIdsFit ? (diffIds[index] ?? null) : null,
    createdBy: historyFits ? (history[index]?.created_by ?? null) : null,
  }));
}
