// deploy/kubernetes, built the way a user builds it (`kubectl kustomize`, Debian's kubernetes-client
// or any newer kubectl) and checked against Kubernetes' published schemas and KEDA's CRD
// (kubernetes-schemas.ts). A broken copy proves the check fails on a misspelt field.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadServiceConfig } from '@customs/config';
import { RESCAN_QUEUE, SCAN_QUEUE } from '@customs/queue';
import type { IValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { REPO_ROOT } from '../support/e2e-environment.js';
import { manifestsOf, validateManifests, type Manifest } from './kubernetes-schemas.js';

const run = promisify(execFile);
const DEPLOY = join(REPO_ROOT, 'deploy', 'kubernetes');
const BUILDS = ['base', 'overlays/keda', 'overlays/hpa'] as const;

async function kustomize(dir: string): Promise<Manifest[]> {
  const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 16 * 1024 * 1024 });
  return manifestsOf(stdout);
}

interface ScaledObject {
  spec: { scaleTargetRef: { name: string }; triggers: Array<{ metadata: { listName: string } }> };
}

/** A manifest of the build, as the type of its kind (validated by the first tests). */
function find<T>(manifests: readonly Manifest[], kind: string, name: string): T {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  assert.ok(found, `${kind} ${name} is in the build`);
  return found as unknown as T;
}

function all<T>(manifests: readonly Manifest[] | undefined, kind: string): T[] {
  return (manifests ?? []).filter((manifest) => manifest.kind === kind) as unknown as T[];
}

describe('deploy/kubernetes', () => {
  const built = new Map<string, Manifest[]>();
  before(async () => {
    for (const build of BUILDS) built.set(build, await kustomize(join(DEPLOY, build)));
  });

  for (const build of BUILDS) {
    it(`${build} builds and every manifest validates against the published schemas`, () => {
      const manifests = built.get(build) ?? [];
      assert.ok(manifests.length >= 14, `${build} has ${manifests.length} manifests`);
      assert.deepEqual(validateManifests(manifests), []);
    });
  }

  it('has the four roles, with `customs updater` for the updater', () => {
    const manifests = built.get('base') ?? [];
    for (const role of ['api', 'webhook', 'worker', 'updater']) {
      const deployment = find<IDeployment>(manifests, 'Deployment', `customs-${role}`);
      assert.deepEqual(deployment.spec?.template.spec?.containers[0]?.args, [role]);
    }
  });

  it('runs every pod as the restricted Pod Security Standard asks', () => {
    for (const deployment of all<IDeployment>(built.get('base'), 'Deployment')) {
      const pod = deployment.spec?.template.spec;
      const name = deployment.metadata?.name;
      assert.equal(pod?.securityContext?.runAsNonRoot, true, name);
      assert.equal(pod?.securityContext?.seccompProfile?.type, 'RuntimeDefault', name);
      assert.equal(pod?.automountServiceAccountToken, false, name);
      for (const container of pod?.containers ?? []) {
        assert.equal(container.securityContext?.allowPrivilegeEscalation, false, name);
        assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL'], name);
        assert.equal(container.securityContext?.readOnlyRootFilesystem, true, name);
        assert.equal(container.securityContext?.privileged, undefined, name);
      }
    }
    const namespace = find<INamespace>(built.get('base') ?? [], 'Namespace', 'customs');
    assert.equal(namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  it('admission: a webhook on the API, never for kube-system or Customs itself', () => {
    const manifests = built.get('base') ?? [];
    const [webhook] =
      find<IValidatingWebhookConfiguration>(manifests, 'ValidatingWebhookConfiguration', 'customs')
        .webhooks ?? [];
    assert.ok(webhook);
    assert.equal(webhook.clientConfig.service?.path, '/v1/admission');
    assert.equal(webhook.clientConfig.service?.name, 'customs-api');
    assert.deepEqual(webhook.admissionReviewVersions, ['v1']);
    assert.equal(webhook.failurePolicy, 'Fail');
    assert.equal(webhook.sideEffects, 'NoneOnDryRun');
    const excluded = webhook.namespaceSelector?.matchExpressions?.find(
      (expression) => expression.key === 'kubernetes.io/metadata.name',
    );
    assert.equal(excluded?.operator, 'NotIn');
    assert.deepEqual(excluded?.values?.sort(), ['customs', 'kube-system']);
    const resources = (webhook.rules ?? []).flatMap((rule) => rule.resources ?? []).sort();
    assert.deepEqual(resources, [
      'cronjobs',
      'daemonsets',
      'deployments',
      'jobs',
      'pods',
      'pods/ephemeralcontainers',
      'replicasets',
      'statefulsets',
    ]);
    // The service configuration the pods mount loads, and answers well inside the webhook's timeout.
    const text = find<IConfigMap>(manifests, 'ConfigMap', 'customs-config').data?.['customs.yaml'] ?? '';
    const config = loadServiceConfig({
      env: {
        CUSTOMS_CONFIG: 'customs.yaml',
        CUSTOMS_REGISTRY_PASSWORD: 'x',
        CUSTOMS_DISTRIBUTION_AUTHORIZATION: 'Bearer x',
      },
      readFile: () => text,
    });
    assert.ok(config.admission.deadlineMs * 2 <= (webhook.timeoutSeconds ?? 10) * 1000);
    assert.equal(config.api.tls?.certFile.startsWith('/etc/customs/tls/'), true);
  });

  it('only the API and the webhook take connections', () => {
    const policies = all<INetworkPolicy>(built.get('base'), 'NetworkPolicy');
    const deny = policies.find((policy) => Object.keys(policy.spec?.podSelector ?? {}).length === 0);
    assert.deepEqual(deny?.spec?.policyTypes, ['Ingress']);
    assert.equal(deny?.spec?.ingress, undefined);
    const open = policies
      .filter((policy) => policy !== deny)
      .map((policy) => policy.spec?.podSelector.matchLabels?.['app.kubernetes.io/component'])
      .sort();
    assert.deepEqual(open, ['api', 'webhook']);
  });

  it("KEDA scales workers on BullMQ's wait lists of the queues packages/queue names", () => {
    const scaled = find<ScaledObject>(built.get('overlays/keda') ?? [], 'ScaledObject', 'customs-worker');
    assert.equal(scaled.spec.scaleTargetRef.name, 'customs-worker');
    const lists = scaled.spec.triggers.map(
      (trigger: { metadata: { listName: string } }) => trigger.metadata.listName,
    );
    assert.deepEqual(lists, [`bull:${SCAN_QUEUE}:wait`, `bull:${RESCAN_QUEUE}:wait`]);
    const hpa = find<IHorizontalPodAutoscaler>(
      built.get('overlays/hpa') ?? [],
      'HorizontalPodAutoscaler',
      'customs-worker',
    );
    assert.equal(hpa.spec?.scaleTargetRef.name, 'customs-worker');
    assert.equal(
      (built.get('base') ?? []).some(
        (manifest) => manifest.kind === 'HorizontalPodAutoscaler' || manifest.kind === 'ScaledObject',
      ),
      false,
    );
  });

  describe('a broken copy fails', () => {
    let copy: string;
    before(async () => {
      copy = await mkdtemp(join(tmpdir(), 'customs-kubernetes-'));
      await cp(DEPLOY, copy, { recursive: true });
    });
    after(() => rm(copy, { recursive: true, force: true }));

    async function broken(file: string, from: string, to: string, build: string): Promise<string[]> {
      const path = join(copy, file);
      const original = await readFile(path, 'utf8');
      assert.ok(original.includes(from), `${file} has ${from}`);
      await writeFile(path, original.replace(from, to));
      try {
        return validateManifests(await kustomize(join(copy, build)));
      } finally {
        await writeFile(path, original);
      }
    }

    it('a misspelt field of a built-in kind', async () => {
      const problems = await broken(
        'base/api.yaml',
        'readOnlyRootFilesystem: true',
        'readOnlyRootFileSystem: true',
        'base',
      );
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', /^Deployment customs-api: .*readOnlyRootFileSystem/);
    });

    it('a value of the wrong type, and a value outside an enum', async () => {
      const wrongType = await broken('base/worker.yaml', 'replicas: 1', "replicas: 'one'", 'base');
      assert.match(wrongType.join('\n'), /Deployment customs-worker: .*replicas/);
      const outside = await broken(
        'base/admission-webhook.yaml',
        'sideEffects: NoneOnDryRun',
        'sideEffects: Sometimes',
        'base',
      );
      assert.match(outside.join('\n'), /ValidatingWebhookConfiguration customs: .*sideEffects|Sometimes/);
    });

    it("a misspelt field of KEDA's ScaledObject", async () => {
      const problems = await broken(
        'overlays/keda/worker-scaledobject.yaml',
        'minReplicaCount',
        'minReplicasCount',
        'overlays/keda',
      );
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', /^ScaledObject customs-worker: .*minReplicasCount/);
    });

    it('a kind no schema covers', async () => {
      const problems = await broken('base/namespace.yaml', 'kind: Namespace', 'kind: Namespaces', 'base');
      assert.match(problems.join('\n'), /no schema for v1\/Namespaces/);
    });
  });
});
