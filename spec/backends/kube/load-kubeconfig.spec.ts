import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadKubeConfig } from '../../../src/backends/kube/load-kubeconfig.js';

const YAML = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{name: c1, cluster: {server: "https://10.0.0.1:6443"}}, {name: c2, cluster: {server: "https://10.0.0.2:6443"}}]',
  'users: [{name: u, user: {token: t}}]',
  'contexts: [{name: one, context: {cluster: c1, user: u}}, {name: two, context: {cluster: c2, user: u}}]',
  'current-context: one',
].join('\n');

describe('kube kubeconfig loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-kc-'));
  const file = join(dir, 'config');
  writeFileSync(file, YAML);
  const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('loads --kubeconfig and its current context', () => {
    const r = loadKubeConfig({ kubeconfig: file });
    expect(r).to.deep.include({ ok: true, context: 'one', server: 'https://10.0.0.1:6443' });
  });

  it('selects --context', () => {
    expect(loadKubeConfig({ kubeconfig: file, context: 'two' })).to.deep.include({ ok: true, server: 'https://10.0.0.2:6443' });
  });

  it('names the known contexts when --context is unknown', () => {
    const r = loadKubeConfig({ kubeconfig: file, context: 'three' });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.message).to.contain('one, two');
  });

  it('reads KUBECONFIG when no file is given', () => {
    process.env.KUBECONFIG = file;
    expect(loadKubeConfig({})).to.deep.include({ ok: true, context: 'one' });
  });

  it("refuses client-node's silent fallback to localhost:8080 and says how to get a cluster", () => {
    process.env.KUBECONFIG = '';
    process.env.HOME = mkdtempSync(join(tmpdir(), 'nph-home-'));
    const r = loadKubeConfig({});
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.message).to.match(/no kubeconfig found.*--kubeconfig or KUBECONFIG/);
  });

  it('reports an unreadable --kubeconfig as a value', () => {
    const r = loadKubeConfig({ kubeconfig: join(dir, 'missing') });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.message).to.contain('cannot read');
  });
});
