/**
 * The acceptance run of `scan --out` (root): the Online Boutique example's predicted matrix,
 * written as a scenario, passes on the local dataplane with real packets (stand-in pods with
 * the same labels, ports and Services, the application's own policies).
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRoot } from '../support/require-root.js';
import { runCli } from './run-cli.js';

describe('cli scan --out, then run --backend local (root, real packets)', function () {
  this.timeout(10 * 60_000);
  beforeEach(function () {
    requireRoot(this);
  });

  it('the Online Boutique matrix holds on real packets, Service ports 80 -> 8080 and 5000 -> 8080 included', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nph-scan-run-')), 'online-boutique.yaml');
    expect((await runCli(['scan', 'examples/online-boutique', '--namespace', 'boutique', '--out', out])).code).to.equal(0);
    const { code, stdout, stderr } = await runCli(['run', out, '--backend', 'local', '--output', 'json']);
    expect(stderr).to.match(/canary .*: enforcing/);
    const result = JSON.parse(stdout);
    const probes = result.steps[0].probes as { pass: boolean; observed: string; to: string; servicePort?: number }[];
    const failed = probes.filter((p) => !p.pass);
    expect(failed, JSON.stringify(failed.slice(0, 5), null, 1)).to.deep.equal([]);
    expect(probes.filter((p) => p.observed === 'allow' && p.to === 'dns')).to.have.length(12);
    expect(probes.some((p) => p.servicePort === 5000 && p.observed === 'allow')).to.equal(true);
    expect(code).to.equal(0);
  });
});
