// Validation of Kubernetes manifests against the published schemas, offline:
// - built-in kinds: kubernetes-models, whose validators are compiled from the Kubernetes OpenAPI
//   document (types, enums, required fields, formats); and, because that document leaves objects
//   open (the apiserver drops unknown fields unless asked to be strict), its TypeScript interfaces,
//   generated from the same document, checked by the compiler's excess-property rule: a misspelt
//   field is an error, as with `kubectl apply --validate=strict`;
// - KEDA's ScaledObject: the openAPIV3Schema of KEDA's own CRD (test/fixtures/keda), with objects
//   that declare properties closed the same way.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Namespace, Service, ServiceAccount, ConfigMap } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../support/e2e-environment.js';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string } } & Record<
  string,
  unknown
>;

interface BuiltIn {
  validate(document: unknown): void;
  /** The module and interface its TypeScript type comes from. */
  module: string;
  type: string;
}

const model = <T>(Type: new (data: T) => { validate(): void }, module: string, type: string): BuiltIn => ({
  validate: (document) => new Type(document as T).validate(),
  module,
  type,
});

/** Every kind deploy/kubernetes may hold; anything else fails the test (no unchecked kind). */
const BUILT_IN: Record<string, BuiltIn> = {
  'v1/Namespace': model(Namespace, 'kubernetes-models/v1/Namespace', 'INamespace'),
  'v1/ServiceAccount': model(ServiceAccount, 'kubernetes-models/v1/ServiceAccount', 'IServiceAccount'),
  'v1/ConfigMap': model(ConfigMap, 'kubernetes-models/v1/ConfigMap', 'IConfigMap'),
  'v1/Service': model(Service, 'kubernetes-models/v1/Service', 'IService'),
  'apps/v1/Deployment': model(Deployment, 'kubernetes-models/apps/v1/Deployment', 'IDeployment'),
  'policy/v1/PodDisruptionBudget': model(
    PodDisruptionBudget,
    'kubernetes-models/policy/v1/PodDisruptionBudget',
    'IPodDisruptionBudget',
  ),
  'networking.k8s.io/v1/NetworkPolicy': model(
    NetworkPolicy,
    'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    'INetworkPolicy',
  ),
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': model(
    ValidatingWebhookConfiguration,
    'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
    'IValidatingWebhookConfiguration',
  ),
  'autoscaling/v2/HorizontalPodAutoscaler': model(
    HorizontalPodAutoscaler,
    'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    'IHorizontalPodAutoscaler',
  ),
};

/** KEDA's CRD as published (test/fixtures/keda/SOURCES.md); a changed copy fails here. */
export const KEDA_CRD = join(REPO_ROOT, 'test', 'fixtures', 'keda', 'keda.sh_scaledobjects.yaml');
export const KEDA_CRD_SHA256 = '207afc4ca44fd9e3f4bbfb1c8fae08f3a365e098a52714fe8eb672bbd239cbcd';

export function manifestsOf(yamlText: string): Manifest[] {
  return yamlText
    .split(/^---$/m)
    .map((part) => parseYaml(part) as Manifest | null)
    .filter((document): document is Manifest => document !== null);
}

/** Every problem of every manifest, each naming the manifest; empty when all are valid. */
export function validateManifests(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const typed: Array<{ manifest: Manifest; builtIn: BuiltIn }> = [];
  for (const manifest of manifests) {
    const name = `${manifest.kind} ${manifest.metadata?.name}`;
    const key = `${manifest.apiVersion}/${manifest.kind}`;
    if (key === 'keda.sh/v1alpha1/ScaledObject') {
      problems.push(...scaledObjectProblems(manifest).map((problem) => `${name}: ${problem}`));
      continue;
    }
    const builtIn = BUILT_IN[key];
    if (builtIn === undefined) {
      problems.push(`${name}: no schema for ${key}`);
      continue;
    }
    try {
      builtIn.validate(manifest);
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    typed.push({ manifest, builtIn });
  }
  problems.push(...unknownFieldProblems(typed));
  return problems;
}

/** The manifests as typed constants, compiled in memory: excess properties are unknown fields. */
function unknownFieldProblems(typed: ReadonlyArray<{ manifest: Manifest; builtIn: BuiltIn }>): string[] {
  const file = join(REPO_ROOT, 'test', 'deploy', '__manifests__.ts');
  const modules = [...new Set(typed.map(({ builtIn }) => builtIn.module))];
  const source = [
    ...modules.map(
      (module) =>
        `import type { ${typed
          .filter(({ builtIn }) => builtIn.module === module)
          .map(({ builtIn }) => builtIn.type)
          .filter((type, index, all) => all.indexOf(type) === index)
          .join(', ')} } from '${module}';`,
    ),
    ...typed.map(
      ({ manifest, builtIn }, index) =>
        `export const m${index}: ${builtIn.type} = ${JSON.stringify(manifest, null, 1)};`,
    ),
  ].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const lines = source.split('\n');
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) return text;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const owner = lines
      .slice(0, line + 1)
      .reverse()
      .find((candidate) => candidate.startsWith('export const m'));
    const index = Number(/^export const m(\d+)/.exec(owner ?? '')?.[1]);
    const manifest = typed[index]?.manifest;
    return `${manifest?.kind} ${manifest?.metadata.name}: ${text}`;
  });
}

let scaledObject: ValidateFunction | null = null;

function scaledObjectProblems(manifest: Manifest): string[] {
  scaledObject ??= compileScaledObject();
  if (scaledObject(manifest)) return [];
  return (scaledObject.errors ?? []).map(
    (error) =>
      `${error.instancePath || '(top)'} ${error.message ?? error.keyword}${
        error.keyword === 'additionalProperties'
          ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
          : ''
      }`,
  );
}

function compileScaledObject(): ValidateFunction {
  const text = readFileSync(KEDA_CRD);
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (sha256 !== KEDA_CRD_SHA256) throw new Error(`${KEDA_CRD} changed: sha256 ${sha256}`);
  const crd = parseYaml(text.toString('utf8')) as {
    spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Record<string, unknown> } }> };
  };
  const version = crd.spec.versions.find((candidate) => candidate.name === 'v1alpha1');
  if (version === undefined) throw new Error('the KEDA CRD has no v1alpha1 version');
  // The copy is never edited: closing its objects happens on a deep copy, here.
  const schema = closeObjects(structuredClone(version.schema.openAPIV3Schema));
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

/**
 * Structural schemas leave objects open (the apiserver prunes unknown fields). Strict validation
 * closes every object that declares properties, unless it keeps unknown fields on purpose.
 */
function closeObjects(schema: Record<string, unknown>): Record<string, unknown> {
  for (const value of Object.values(schema)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      closeObjects(value as Record<string, unknown>);
    }
  }
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in schema;
  const declared = typeof schema.properties === 'object' && schema.properties !== null;
  if (schema.type === 'object' && declared && !open) schema.additionalProperties = false;
  return schema;
}
