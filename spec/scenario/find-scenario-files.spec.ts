import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScenarioFiles, mayBeScenario } from '../../src/scenario/find-scenario-files.js';

describe('scenario/find-scenario-files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'netpol-find-'));
    writeFileSync(join(dir, 'b.yaml'), 'apiVersion: netpol-harness/v1alpha1\nkind: Scenario\n');
    writeFileSync(join(dir, 'a.yml'), '# yaml-language-server: $schema=x\nkind: Scenario\n');
    writeFileSync(join(dir, 'policy.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n');
    writeFileSync(join(dir, 'broken.yaml'), 'kind: [\n');
    writeFileSync(join(dir, 'notes.txt'), 'kind: Scenario\n');
    mkdirSync(join(dir, 'manifests'));
    writeFileSync(join(dir, 'manifests', 'c.yaml'), 'kind: Scenario\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a directory gives its own YAML files that may be scenarios, sorted', () => {
    const found = findScenarioFiles([dir]);
    expect(found.diagnostics).to.deep.equal([]);
    expect(found.files).to.deep.equal(['a.yml', 'b.yaml', 'broken.yaml'].map((f) => join(dir, f)));
  });

  it('says what a directory skips: sub-folders and YAML of another kind', () => {
    expect(findScenarioFiles([dir]).skipped).to.deep.equal([
      { kind: 'folder', path: join(dir, 'manifests') },
      { kind: 'not-a-scenario', path: join(dir, 'policy.yaml'), documentKind: 'NetworkPolicy' },
    ]);
    expect(findScenarioFiles([join(dir, 'policy.yaml'), dir]).skipped, 'a file named on the command line is not skipped').to.deep.equal([{ kind: 'folder', path: join(dir, 'manifests') }]);
  });

  it('a named file always counts, once', () => {
    const policy = join(dir, 'policy.yaml');
    expect(findScenarioFiles([policy, dir, policy]).files).to.include(policy).and.have.length(4);
  });

  it('FILE_NOT_FOUND per missing path, NO_SCENARIOS when nothing is found', () => {
    expect(findScenarioFiles([join(dir, 'nope.yaml')]).diagnostics.map((d) => d.code)).to.deep.equal(['FILE_NOT_FOUND']);
    expect(findScenarioFiles([join(dir, 'manifests', 'x')]).diagnostics.map((d) => d.code)).to.deep.equal(['FILE_NOT_FOUND']);
    const empty = mkdtempSync(join(tmpdir(), 'netpol-empty-'));
    try {
      expect(findScenarioFiles([empty]).diagnostics.map((d) => d.code)).to.deep.equal(['NO_SCENARIOS']);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('mayBeScenario', () => {
    expect([mayBeScenario('kind: Scenario'), mayBeScenario('kind: NetworkPolicy'), mayBeScenario('a: 1'), mayBeScenario('{')]).to.deep.equal([true, false, true, true]);
  });
});
