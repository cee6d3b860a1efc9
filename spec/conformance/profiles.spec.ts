/**
 * The CNI profiles shipped in `profiles/`: each loads and names tags the suite has; each
 * deviation the simulator predicts (`semantics`) changes the predictions of some suite cases
 * (so a run can observe it), and where a profile has several, each case one changes carries
 * one of its tags (so a run can tell which one a case shows).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileOptionsOf, loadProfiles, PROFILES_DIR } from '../../src/conformance/profiles.js';
import { loadSuite, SUITE_CASES } from '../../src/conformance/suite.js';
import { checkScenario } from '../../src/run/check-scenario.js';

describe('conformance/profiles', () => {
  const profiles = loadProfiles();

  it('loads every file of profiles/, each named like its file', () => {
    const files = readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect([...profiles.keys()].map((n) => `${n}.yaml`).sort()).to.deep.equal(files);
    expect([...profiles.keys()]).to.include.members(['cilium', 'kubernetes-1.21', 'kube-router-1.2']);
  });

  it('names only tags the suite has, and deviation ids unique per profile', () => {
    const suiteTags = new Set(SUITE_CASES.flatMap((c) => c.tags));
    for (const profile of profiles.values()) {
      expect(new Set(profile.deviations.map((d) => d.id)).size, profile.name).to.equal(profile.deviations.length);
      for (const d of profile.deviations) for (const tag of d.tags) expect(suiteTags.has(tag), `${profile.name} ${d.id}: ${tag}`).to.equal(true);
    }
  });

  it('docs/conformance.md lists every profile with the source of each deviation', () => {
    const doc = readFileSync('docs/conformance.md', 'utf8');
    for (const profile of profiles.values()) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${profile.name}\` |`));
      expect(row, profile.name).to.be.a('string');
      for (const d of profile.deviations) expect(doc, `${profile.name} ${d.id}`).to.contain(d.source);
    }
  });

  it('kube-router-1.2 reads the spec with both of its switches', () => {
    expect(compileOptionsOf(profiles.get('kube-router-1.2'))).to.deep.equal({ crossDirectionRules: true, egressNamedPortsByPolicyNamespace: true });
  });

  it('each deviation with semantics changes some suite cases; beside another, only cases carrying one of its tags', async () => {
    const { scenarios } = loadSuite();
    for (const profile of profiles.values()) {
      const predicted = profile.deviations.filter((x) => x.semantics !== undefined);
      for (const d of predicted) {
        const changed: string[] = [];
        for (const scenario of scenarios) {
          const result = await checkScenario(scenario, compileOptionsOf({ ...profile, deviations: [d] }));
          if (result.steps.some((s) => s.probes.some((p) => p.predicted !== p.expected))) changed.push(scenario.name);
        }
        expect(changed, `${profile.name} ${d.id}`).to.not.deep.equal([]);
        // Alone, it is the one every predicted cell of the profile is told as.
        if (predicted.length === 1) continue;
        for (const name of changed) {
          const tags = SUITE_CASES.find((c) => c.name === name)!.tags;
          expect(d.tags.some((t) => tags.includes(t)), `${profile.name} ${d.id}: ${name} [${tags.join(' ')}]`).to.equal(true);
        }
      }
    }
  });

  it('refuses a profile with a switch the simulator does not have', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nph-profiles-'));
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\ntitle: Bad\ndeviations:\n  - id: x\n    summary: s\n    source: https://example.org/x\n    tags: []\n    semantics: {ipBlocksMatchPods: false}\n');
    expect(() => loadProfiles(dir)).to.throw(/profile bad.yaml is malformed/);
  });
});
