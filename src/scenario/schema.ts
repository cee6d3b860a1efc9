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
import { NAME_KEYWORDS } from '../policy/k8s-names.js';

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

// Values the loader checks itself, with its own codes (INVALID_NAME, INVALID_PORT, ...), carry
// the same rules as JSON Schema keywords through `.meta()`: they shape only the editor schema,
// never what zod accepts.
const labelName = () => z.string().meta(NAME_KEYWORDS.dns1123Label);
const portNumber = () => z.int().meta(NAME_KEYWORDS.port);
const portName = () => z.string().meta(NAME_KEYWORDS.ianaSvcName);
const labels = z.record(z.string().meta(NAME_KEYWORDS.labelKey), z.string().meta(NAME_KEYWORDS.labelValue));
const annotations = z.record(z.string().meta(NAME_KEYWORDS.annotationKey), z.string());

// ---------------------------------------------------------------- NetworkPolicy v1 as written

/**
 * NetworkPolicy v1 as zod schemas. With `nullable`, every optional field also takes null, as
 * Kubernetes reads a null optional field as absent (`- to:` with nothing after it): that is
 * the editor schema's view. The loader parses with `nullable` false after dropping those
 * nulls itself (load-policies.ts `dropOptionalNulls`), so a required field written as null
 * still gets its own message.
 */
function makeNetworkPolicySchema(nullable: boolean) {
  const opt = <T extends z.ZodType>(t: T) => (nullable ? t.nullable().optional() : t.optional());
  const labelSelectorRequirement = strict({
    key: z.string().meta(NAME_KEYWORDS.labelKey),
    operator: z.string().describe('In, NotIn, Exists or DoesNotExist').meta({ enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }),
    values: opt(z.array(z.string().meta(NAME_KEYWORDS.labelValue))),
  });
  const labelSelector = strict({
    matchLabels: opt(labels),
    matchExpressions: opt(z.array(labelSelectorRequirement)),
  });
  const peer = strict({
    podSelector: opt(labelSelector),
    namespaceSelector: opt(labelSelector),
    ipBlock: opt(strict({ cidr: z.string(), except: opt(z.array(z.string())) })),
  });
  const policyPort = strict({
    protocol: opt(z.string().describe('TCP (default), UDP or SCTP').meta({ enum: ['TCP', 'UDP', 'SCTP'] })),
    port: opt(z.union([portNumber(), portName()]).describe('a port number or a named port of the destination pod')),
    endPort: opt(portNumber().describe('inclusive end of a port range; needs a numeric port')),
  });
  return strict({
    apiVersion: z.literal(NETWORK_POLICY_API_VERSION),
    kind: z.literal(NETWORK_POLICY_KIND),
    metadata: strict({
      name: z.string().meta(NAME_KEYWORDS.dns1123Subdomain),
      namespace: opt(labelName().describe("defaults to the file entry's namespace, else spec.defaultNamespace, else the scenario's only namespace")),
      labels: opt(labels),
      annotations: opt(annotations),
    }),
    spec: strict({
      podSelector: labelSelector,
      policyTypes: opt(z.array(z.string().describe('Ingress or Egress').meta({ enum: ['Ingress', 'Egress'] })).meta({ maxItems: 2 })),
      ingress: opt(z.array(strict({ from: opt(z.array(peer)), ports: opt(z.array(policyPort)) }))),
      egress: opt(z.array(strict({ to: opt(z.array(peer)), ports: opt(z.array(policyPort)) }))),
    }),
  }).describe('an inline NetworkPolicy (networking.k8s.io/v1)');
}

/** A NetworkPolicy v1 object as a user writes it (no status, no server-set metadata), nulls dropped. */
export const networkPolicySchema = makeNetworkPolicySchema(false);

/** `- file: manifests/x.yaml` (relative to the scenario file), with a default namespace. */
export const fileEntrySchema = strict({
  file: z.string().min(1).describe('multi-document YAML of NetworkPolicies, relative to the scenario file'),
  namespace: labelName().describe('namespace of the objects in the file that name none').optional(),
  skipOtherKinds: z.boolean().describe('skip objects that are not NetworkPolicies (an application\'s whole manifest file); default false: they are an error').optional(),
});

// ---------------------------------------------------------------- the scenario file

const servedPort = strict({
  port: portNumber().describe('1-65535'),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).describe('defaults to TCP').optional(),
  name: portName().describe('an IANA service name, unique per workload').optional(),
});

const servicePort = strict({
  name: labelName().describe('a DNS-1123 label; required when the Service has several ports').optional(),
  port: portNumber().describe('the port clients dial on the Service, 1-65535'),
  targetPort: z.union([portNumber(), portName()]).describe('the pod port: a number or the name of a port the workload serves (default: port)').optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).describe('defaults to TCP').optional(),
});

const service = strict({
  name: labelName().describe('a DNS-1035 label, unique among the Services of the namespace'),
  ports: z.array(servicePort).min(1),
});

const probeTarget = z.enum(['service-name', 'service-ip', 'pod-ip']);
const timeoutSeconds = z.number().positive().max(MAX_PROBE_TIMEOUT_SECONDS).describe(`per probe, in seconds (default 2, at most ${MAX_PROBE_TIMEOUT_SECONDS}); a fraction is rounded up to whole seconds`);

const scenarioProbe = strict({
  target: probeTarget.describe('how workloads are addressed (default service-name)').optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  self: z.boolean().describe('also probe each workload from itself (default false)').optional(),
  dns: z.boolean().describe('probe `-> dns` from every workload (default: true when target is service-name)').optional(),
  dnsProtocols: z
    .array(z.enum(['UDP', 'TCP']))
    .min(1)
    .describe('the protocols of the `-> dns` lookup probes, e.g. [UDP, TCP] (default [UDP]); a TCP probe is `dns:53/TCP`')
    .optional(),
});

const stepProbe = strict({
  target: probeTarget.optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  dns: z.boolean().optional(),
}).describe('overrides the scenario\'s probe settings for this step only');

const labelChange = strict({
  namespace: z.string().optional(),
  workload: z.string().describe('<namespace>/<name>, or a unique name').optional(),
  labels: z.record(z.string().meta(NAME_KEYWORDS.labelKey), z.string().meta(NAME_KEYWORDS.labelValue).nullable()).describe('merged; a null value removes the key'),
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
      name: labelName().describe('a DNS-1123 label'),
      description: z.string().optional(),
      tags: z
        .array(labelName().describe('a lowercase word or words joined by dashes, e.g. named-port'))
        .describe('features the scenario exercises; `conformance run --tags` selects by them and reports a verdict per tag')
        .optional(),
    }),
    spec: strict({
      namespaces: z.array(strict({ name: labelName(), labels: labels.optional() })).min(1),
      defaultNamespace: labelName()
        .describe('the namespace of every workload and applied policy that names none (like the namespace of a kubectl context); default: the only namespace, when there is one')
        .optional(),
      workloads: z
        .array(
          strict({
            name: labelName(),
            namespace: labelName().describe('default: spec.defaultNamespace, else the only namespace').optional(),
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
        .array(
          strict({
            name: labelName(),
            ip: z.string(),
            ports: z.array(servedPort).optional(),
            client: z.boolean().describe('also a probe source: probes from this address to every port of every workload, by pod IP (default false)').optional(),
          }),
        )
        .describe('endpoints outside the cluster: probe targets, and with `client: true` probe sources')
        .optional(),
      dns: strict({
        namespace: labelName().describe('default kube-system').optional(),
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

/**
 * The full scenario file, for the editor JSON Schema: apply entries fully described, inline
 * policies taking null wherever Kubernetes does.
 */
export const scenarioFileSchema = makeScenarioSchema(z.union([fileEntrySchema, makeNetworkPolicySchema(true)]));

/** Raw zod-inferred shapes: used inside scenario/ only (STYLE 2). */
export type RawScenario = z.infer<typeof scenarioShellSchema>;
export type RawNetworkPolicy = z.infer<typeof networkPolicySchema>;
export type RawFileEntry = z.infer<typeof fileEntrySchema>;
export type RawServedPort = z.infer<typeof servedPort>;
export type RawService = z.infer<typeof service>;
