import type { ImageConfig } from '@customs/oci';
import { argumentDefault, buildArguments, envAssignments, instructionOf } from './history-lines.js';
import { isSecretName, secretAssignments, storedMarker } from './secret-names.js';

/** `scheme://user:pass@host` → `scheme://<redacted>@host`. */
function withoutUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1<redacted>@');
}

/**
 * A history line with the values of secret-named build arguments (`|N NAME=value`, `ARG NAME=value`),
 * ENV assignments and URL credentials replaced by markers. The checks read the markers as secrets, so findings stay
 * the same; layer lists, reports and stored rows never hold the value.
 */
export function redactCreatedBy(text: string): string {
  const instruction = instructionOf(text);
  const fallback = argumentDefault(instruction);
  const pairs = [
    ...buildArguments(instruction),
    ...(fallback ? [fallback] : []),
    ...envAssignments(instruction),
  ];
  const values = secretAssignments(pairs).map(([, value]) => value);
  // Every occurrence of the value goes: a command may repeat it (`echo $TOKEN` expanded by a builder).
  const replaced = values.reduce((line, value) => line.split(value).join(storedMarker(value)), text);
  return withoutUrlCredentials(replaced);
}

function redactEnvEntry(entry: string): string {
  const split = entry.indexOf('=');
  if (split < 0) return entry;
  const [name, value] = [entry.slice(0, split), entry.slice(split + 1)];
  return isSecretName(name) && secretAssignments([[name, value]]).length > 0
    ? `${name}=${storedMarker(value)}`
    : entry;
}

/** The config as Customs stores it: secret values in ENV and history replaced by length markers. */
export function redactImageConfig(config: ImageConfig): ImageConfig {
  const runtime = config.config;
  return {
    ...config,
    ...(runtime && { config: { ...runtime, ...(runtime.Env && { Env: runtime.Env.map(redactEnvEntry) }) } }),
    ...(config.history && {
      history: config.history.map((entry) =>
        entry.created_by === undefined ? entry : { ...entry, created_by: redactCreatedBy(entry.created_by) },
      ),
    }),
  };
}
