/**
 * `lint`: one small manifest per rule (spec/lint/manifests/<rule>.yaml), each finding exactly
 * its rule at the line marked `# finding`; the rule list is the source of truth, so a new
 * rule without a manifest fails here.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintModel, LINT_RULES } from '../../src/lint/lint-model.js';
import { buildModel } from '../../src/manifests/build-model.js';
import { readInputs } from '../../src/manifests/read-inputs.js';
import { toLintJson } from '../../src/report/render-lint.js';
import { runCli } from '../cli/run-cli.js';

const DIR = 'spec/lint/manifests';

function lint(paths: string[], severity: 'warning' | 'error' = 'warning', namespace = 'default') {
  const read = readInputs(paths, () => undefined);
  expect(read.diagnostics).to.deep.equal([]);
  const built = buildModel(read.files, { defaultNamespace: namespace });
  if (!built.ok) throw new Error(JSON.stringify(built.diagnostics));
  return lintModel(built.model, severity).map((f) => toLintJson(f, built.sources));
}

describe('lint: one manifest per rule', () => {
  for (const rule of LINT_RULES) {
    it(`${rule.id} (${rule.severity}): ${rule.description}`, () => {
      const file = join(DIR, `${rule.id}.yaml`);
      const marked = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('# finding')) + 1;
      expect(marked, 'the manifest marks the line of its finding').to.be.above(0);
      const findings = lint([file]);
      expect(findings.map((f) => `${f.rule}:${f.line}`)).to.deep.equal([`${rule.id}:${marked}`]);
      expect(findings[0]!.severity).to.equal(rule.severity);
      expect(findings[0]!.message).to.have.length.above(20);
      expect(findings[0]!.fix).to.not.contain('\n');
    });
  }

  it('finds nothing in the Online Boutique example (deny-all, DNS, one policy per service)', () => {
    expect(lint(['examples/online-boutique'], 'warning', 'boutique')).to.deep.equal([]);
  });

  it('--severity error leaves the warnings out', () => {
    for (const rule of LINT_RULES) {
      const findings = lint([join(DIR, `${rule.id}.yaml`)], 'error');
      expect(findings.map((f) => f.rule), rule.id).to.deep.equal(rule.severity === 'error' ? [rule.id] : []);
    }
  });
});

describe('cli lint', () => {
  it('prints file:line:col, severity, rule id, message and fix; exits 1 on findings', async () => {
    const { code, stdout } = await runCli(['lint', join(DIR, 'named-port-undefined.yaml')]);
    expect(code).to.equal(1);
    expect(stdout).to.match(/^spec\/lint\/manifests\/named-port-undefined\.yaml:14:17: error named-port-undefined: demo\/web ingress rule 0 names port "web-http"\/TCP/);
    expect(stdout).to.match(/\n {2}fix: name the container port "web-http"/);
  });

  it('exits 0 and prints nothing when clean; one JSON finding per line with --output json; exit 2 on bad input', async () => {
    expect(await runCli(['lint', 'examples/online-boutique', '-n', 'boutique'])).to.deep.include({ code: 0, stdout: '' });
    const json = await runCli(['lint', join(DIR, 'unknown-namespace-name.yaml'), '--output', 'json', '--severity', 'error']);
    expect(json.code).to.equal(1);
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l))).to.deep.equal([
      {
        file: join(DIR, 'unknown-namespace-name.yaml'),
        line: 16,
        col: 44,
        rule: 'unknown-namespace-name',
        severity: 'error',
        message: 'demo/web ingress rule 0 selects namespace "fronted", which the manifests do not have (they have demo)',
        fix: 'correct the namespace name, or add the Namespace to the manifests',
      },
    ]);
    expect(await runCli(['lint', join(DIR, 'peer-matches-nothing.yaml'), '--severity', 'error'])).to.deep.include({ code: 0, stdout: '' });
    expect((await runCli(['lint', '/nonexistent'])).code).to.equal(2);
  });
});
