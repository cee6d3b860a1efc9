/** Where in a manifest a finding points: a policy, a path inside it, or a workload. */
import type { ManifestSite } from '../manifests/types.js';
import type { PolicyKey } from '../policy/types.js';
import { rangeAt, type DocPath } from '../scenario/locate-node.js';
import type { LintContext, LintFinding, LintRule } from './types.js';

/** The file and range of `path` inside the object at `site`. */
export function locate(site: ManifestSite, path: DocPath): Pick<LintFinding, 'file' | 'range'> {
  return { file: site.parsed.file, range: rangeAt(site.parsed.doc, [...site.path, ...path]) };
}

/** A finding of `rule` at `path` inside policy `key`. */
export function policyFinding(ctx: LintContext, rule: LintRule, key: PolicyKey, path: DocPath, message: string, fix: string): LintFinding {
  return { rule: rule.id, severity: rule.severity, ...locate(ctx.model.policySites.get(key)!, path), message, fix };
}
