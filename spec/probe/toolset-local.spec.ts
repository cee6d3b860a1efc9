/**
 * The local toolset's classification, one row per real tool output measured on Debian 12
 * (busybox-static 1.35 wget, netcat-openbsd nc, glibc getent), and its rendered commands.
 */
import { expect } from 'chai';
import { LOCAL_TOOLSET } from '../../src/probe/toolset-local.js';
import type { ProbeCommand, ProbeKind } from '../../src/probe/probe-script.js';
import type { OutcomeKind, ProbeKey } from '../../src/probe/types.js';

function command(kind: ProbeKind, host = '10.250.0.7', port = 80): ProbeCommand {
  return { key: 'k' as ProbeKey, kind, host, port, timeoutMs: 2000 };
}

const ROWS: readonly { what: string; kind: ProbeKind; host?: string; exit: number; output: string; want: OutcomeKind }[] = [
  { what: 'wget got the HTTP answer', kind: 'tcp', exit: 0, output: 'nph-ok demo/backend', want: 'ok' },
  { what: 'wget refused', kind: 'tcp', exit: 1, output: "wget: can't connect to remote host (10.250.0.7): Connection refused", want: 'refused' },
  { what: 'wget killed by timeout (dropped)', kind: 'tcp', exit: 124, output: '', want: 'timeout' },
  { what: 'wget no route', kind: 'tcp', exit: 1, output: "wget: can't connect to remote host (10.250.0.7): No route to host", want: 'refused' },
  { what: 'lookup before connect failed', kind: 'tcp', host: 'backend.demo', exit: 1, output: 'nph-dns-failed', want: 'dns' },
  { what: 'wget bad address', kind: 'tcp', host: 'backend.demo', exit: 1, output: "wget: bad address 'backend.demo:80'", want: 'dns' },
  { what: 'wget segfault or other', kind: 'tcp', exit: 139, output: '', want: 'error' },
  { what: 'nc udp reply', kind: 'udp', exit: 0, output: 'nph-ok demo/dns', want: 'ok' },
  { what: 'nc udp no reply (dropped)', kind: 'udp', exit: 124, output: '', want: 'timeout' },
  { what: 'nc udp ICMP port unreachable, quiet exit 0', kind: 'udp', exit: 0, output: '', want: 'refused' },
  { what: 'nc udp ICMP port unreachable, exit 1', kind: 'udp', exit: 1, output: '', want: 'refused' },
  { what: 'nc udp lookup failed', kind: 'udp', host: 'dns.kube-system', exit: 1, output: 'nph-dns-failed', want: 'dns' },
  { what: 'nc missing', kind: 'udp', exit: 127, output: 'sh: 1: nc: not found', want: 'error' },
  { what: 'getent resolved', kind: 'lookup', host: 'backend.demo.svc.cluster.local', exit: 0, output: '10.251.0.3 STREAM backend.demo.svc.cluster.local', want: 'ok' },
  { what: 'getent not found / no answer', kind: 'lookup', host: 'backend.demo.svc.cluster.local', exit: 2, output: '', want: 'dns' },
  { what: 'getent killed by timeout', kind: 'lookup', host: 'backend.demo.svc.cluster.local', exit: 124, output: '', want: 'timeout' },
  { what: 'getent over TCP resolved', kind: 'lookup-tcp', host: 'kubernetes.default.svc.cluster.local', exit: 0, output: '10.251.0.1 STREAM kubernetes.default.svc.cluster.local', want: 'ok' },
  { what: 'getent over TCP, no server answered', kind: 'lookup-tcp', host: 'kubernetes.default.svc.cluster.local', exit: 2, output: '', want: 'dns' },
  { what: 'getent over TCP killed by timeout', kind: 'lookup-tcp', host: 'kubernetes.default.svc.cluster.local', exit: 124, output: '', want: 'timeout' },
  { what: 'sctp unsupported', kind: 'sctp', exit: 3, output: 'nph-sctp-unsupported', want: 'error' },
];

describe('probe/toolset-local', () => {
  for (const row of ROWS) {
    it(`${row.kind}: ${row.what} -> ${row.want}`, () => {
      expect(LOCAL_TOOLSET.classify(command(row.kind, row.host), row.exit, row.output).kind).to.equal(row.want);
    });
  }

  it("renders wget for TCP, nc -u for UDP, getent for lookups, bounded by the script's watchdog", () => {
    expect(LOCAL_TOOLSET.render(command('tcp'), 2)).to.equal('busybox wget -q -O - http://10.250.0.7:80/');
    expect(LOCAL_TOOLSET.render(command('tcp', 'fd00::7'), 2)).to.contain('http://[fd00::7]:80/');
    expect(LOCAL_TOOLSET.render(command('udp', '10.250.0.7', 53), 3)).to.equal('printf ping | nc -u -W 1 10.250.0.7 53');
    expect(LOCAL_TOOLSET.render(command('lookup', 'a.b.svc.cluster.local'), 1)).to.equal('getent ahosts a.b.svc.cluster.local');
    // glibc's resolver reads RES_OPTIONS: use-vc queries over TCP only.
    expect(LOCAL_TOOLSET.render(command('lookup-tcp', 'a.b.svc.cluster.local'), 1)).to.equal('RES_OPTIONS=use-vc getent ahosts a.b.svc.cluster.local');
    expect(LOCAL_TOOLSET.budgetSeconds?.(command('tcp'), 2)).to.equal(2);
  });

  it('looks a name up first under its own timeout, so a blocked DNS reads as dns (budget 2 x timeout)', () => {
    expect(LOCAL_TOOLSET.render(command('tcp', 'backend.demo'), 2)).to.match(/^timeout 2 getent ahosts backend\.demo .*\|\| \{ echo nph-dns-failed; exit 1; \}; busybox wget/);
    expect(LOCAL_TOOLSET.budgetSeconds?.(command('tcp', 'backend.demo'), 2)).to.equal(4);
  });
});
