/**
 * The scenario file and NetworkPolicy v1 as zod schemas: structure and types only, strict
 * everywhere, so a misspelled key (`ingres:`, `protoco:`) is an error at that key
 * (SCENARIO-FORMAT.md; DESIGN "client-node silently drops misspelled fields"). Kubernetes
 * value rules (names, labels, port ranges, protocols, CIDRs) are checked later, by
 * policy/validate-policy.ts for policies and by the loader for the scenario's own names.
 * The raw shapes inferred here stay inside scenario/.
 */
import { z } from 'zod';
import { MAX_PROBE_TIMEOUT_SECONDS } from './limits.js';

/** The only `apiVersion` of a scenario file. */
export const SCENARIO_API_VERSION = 'netpol-harness/v1alpha1';
/** The `kind` of a scenario file. */
export const SCENARIO_KIND = 'Scenario';
/** The only policy type a step applies. */
export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';
export const NETWORK_POLICY_KIND = 'NetworkPolicy';

/**
 * `z.strictObject` whose unknown-key message lists the keys allowed, so the loader can say
 * `unknown key "ingres" in spec; expected one of podSelector, policyTypes, ingress, egress`.
 */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const expected = `expected one of ${Object.keys(shape).join(', ')}`;
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? expected : undefined) });
}

const labels = z.record(z.string(), z.string());

// ---------------------------------------------------------------- NetworkPolicy v1 as written

const labelSelectorRequirement = strict({
  key: z.string(),
  operator: z.string().describe('In, NotIn, Exists or DoesNotExist'),
  values: z.array(z.string()).optional(),
});

const labelSelector = strict({
  matchLabels: labels.optional(),
  matchExpressions: z.array(labelSelectorRequirement).optional(),
});

const ipBlock = strict({
  cidr: z.string(),
  except: z.array(z.string()).optional(),
});

const peer = strict({
  podSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  ipBlock: ipBlock.optional(),
});

const policyPort = strict({
  protocol: z.string().describe('TCP (default), UDP or SCTP').optional(),
  port: z.union([z.int(), z.string()]).describe('a port number or a named port of the destination pod').optional(),
  endPort: z.int().describe('inclusive end of a port range; needs a numeric port').optional(),
});

const ingressRule = strict({
  from: z.array(peer).optional(),
  ports: z.array(policyPort).optional(),
});

const egressRule = strict({
  to: z.array(peer).optional(),
  ports: z.array(policyPort).optional(),
});

/** A NetworkPolicy v1 object as a user writes it (no status, no server-set metadata). */
export const networkPolicySchema = strict({
  apiVersion: z.literal(NETWORK_POLICY_API_VERSION),
  kind: z.literal(NETWORK_POLICY_KIND),
  metadata: strict({
    name: z.string(),
    namespace: z.string().describe('defaults to the file entry\'s namespace, else the scenario\'s only namespace').optional(),
    labels: labels.optional(),
    annotations: labels.optional(),
  }),
  spec: strict({
    podSelector: labelSelector,
    policyTypes: z.array(z.string().describe('Ingress or Egress')).optional(),
    ingress: z.array(ingressRule).optional(),
    egress: z.array(egressRule).optional(),
  }),
}).describe('an inline NetworkPolicy (networking.k8s.io/v1)');

/** `- file: manifests/x.yaml` (relative to the scenario file), with a default namespace. */
export const fileEntrySchema = strict({
  file: z.string().min(1).describe('multi-document YAML of NetworkPolicies, relative to the scenario file'),
  namespace: z.string().describe('namespace of the objects in the file that name none').optional(),
  skipOtherKinds: z.boolean().describe('skip objects that are not NetworkPolicies (an application\'s whole manifest file); default false: they are an error').optional(),
});

// ---------------------------------------------------------------- the scenario file

const servedPort = strict({
  port: z.int().describe('1-65535'),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).describe('defaults to TCP').optional(),
  name: z.string().describe('an IANA service name, unique per workload').optional(),
});

const servicePort = strict({
  name: z.string().describe('a DNS-1123 label; required when the Service has several ports').optional(),
  port: z.int().describe('the port clients dial on the Service, 1-65535'),
  targetPort: z.union([z.int(), z.string()]).describe('the pod port: a number or the name of a port the workload serves (default: port)').optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).describe('defaults to TCP').optional(),
});

const service = strict({
  name: z.string().describe('a DNS-1035 label, unique among the Services of the namespace'),
  ports: z.array(servicePort).min(1),
});

const probeTarget = z.enum(['service-name', 'service-ip', 'pod-ip']);
const timeoutSeconds = z.number().positive().max(MAX_PROBE_TIMEOUT_SECONDS).describe(`per probe, in seconds (default 2, at most ${MAX_PROBE_TIMEOUT_SECONDS}); a fraction is rounded up to whole seconds`);

const scenarioProbe = strict({
  target: probeTarget.describe('how workloads are addressed (default service-name)').optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  self: z.boolean().describe('also probe each workload from itself (default false)').optional(),
  dns: z.boolean().describe('probe `-> dns` from every workload (default: true when target is service-name)').optional(),
});

const stepProbe = strict({
  target: probeTarget.optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  dns: z.boolean().optional(),
}).describe('overrides the scenario\'s probe settings for this step only');

const labelChange = strict({
  namespace: z.string().optional(),
  workload: z.string().describe('<namespace>/<name>, or a unique name').optional(),
  labels: z.record(z.string(), z.string().nullable()).describe('merged; a null value removes the key'),
});

function makeScenarioSchema<A extends z.ZodType>(applyEntry: A) {
  const step = strict({
    name: z.string().min(1),
    probe: stepProbe.optional(),
    delete: z.array(z.string().describe('<namespace>/<name> of a policy applied by an earlier step')).optional(),
    apply: z.array(applyEntry).optional(),
    label: z.array(labelChange).optional(),
    expect: z.array(z.string().describe('<allow|deny> <from> -> <to>[:<port>[/<tcp|udp|sctp>]]')).optional(),
  });
  return strict({
    apiVersion: z.literal(SCENARIO_API_VERSION),
    kind: z.literal(SCENARIO_KIND),
    metadata: strict({
      name: z.string().describe('a DNS-1123 label'),
      description: z.string().optional(),
      tags: z
        .array(z.string().describe('a lowercase word or words joined by dashes, e.g. named-port'))
        .describe('features the scenario exercises; `conformance run --tags` selects by them and reports a verdict per tag')
        .optional(),
    }),
    spec: strict({
      namespaces: z.array(strict({ name: z.string(), labels: labels.optional() })).min(1),
      workloads: z
        .array(
          strict({
            name: z.string(),
            namespace: z.string().describe('may be omitted when the scenario has exactly one namespace').optional(),
            labels: labels.optional(),
            ports: z.array(servedPort).optional(),
            services: z
              .array(service)
              .describe('the ClusterIP Services in front of the pod (default: one Service of the workload\'s name, every served port as is; [] for none)')
              .optional(),
          }),
        )
        .min(1)
        .describe('each workload is one Pod and, by default, one ClusterIP Service of the same name'),
      externals: z
        .array(strict({ name: z.string(), ip: z.string(), ports: z.array(servedPort).optional() }))
        .describe('endpoints outside the cluster, probe targets only')
        .optional(),
      dns: strict({
        namespace: z.string().describe('default kube-system').optional(),
        labels: labels.describe('default {k8s-app: kube-dns}').optional(),
      }).optional(),
      probe: scenarioProbe.optional(),
      steps: z.array(step).min(1),
    }),
  });
}

/**
 * The scenario file as the loader parses it first: each `apply` entry is only required to be
 * a map here, because the loader tells a file entry from an inline policy by its `file` key
 * and checks each on its own (an unknown kind is NOT_A_NETWORK_POLICY, not a pile of
 * unknown keys).
 */
export const scenarioShellSchema = makeScenarioSchema(z.record(z.string(), z.unknown()));

/** The full scenario file, for the editor JSON Schema (apply entries fully described). */
export const scenarioFileSchema = makeScenarioSchema(z.union([fileEntrySchema, networkPolicySchema]));

/** Raw zod-inferred shapes: used inside scenario/ only (STYLE 2). */
export type RawScenario = z.infer<typeof scenarioShellSchema>;
export type RawNetworkPolicy = z.infer<typeof networkPolicySchema>;
export type RawFileEntry = z.infer<typeof fileEntrySchema>;
export type RawServedPort = z.infer<typeof servedPort>;
export type RawService = z.infer<typeof service>;
