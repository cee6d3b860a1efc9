import { expect } from 'chai';
import { agnhostPodToolset } from '../../src/probe/toolset-agnhost-pod.js';
import { renderProbeScript, type ProbeCommand } from '../../src/probe/probe-script.js';
import type { Outcome, ProbeKey } from '../../src/probe/types.js';

const toolset = agnhostPodToolset({ http: 18080 });
const cmd = (kind: ProbeCommand['kind'], host: string, port = 80): ProbeCommand => ({
  key: `${kind} ${host}:${port}` as ProbeKey,
  kind,
  host,
  port,
  timeoutMs: 1000,
});

describe('agnhost pod probe toolset', () => {
  const renders: { name: string; command: ProbeCommand; want: RegExp }[] = [
    { name: 'TCP by IP: agnhost connect under timeout', command: cmd('tcp', '10.244.0.5'), want: /^timeout 2 \/agnhost connect --timeout=1s 10\.244\.0\.5:80$/ },
    { name: 'SCTP: agnhost connect --protocol=sctp', command: cmd('sctp', '10.244.0.5', 9000), want: /^timeout 2 \/agnhost connect --protocol=sctp --timeout=1s 10\.244\.0\.5:9000$/ },
    {
      name: "UDP through the pod's own netexec /dial (agnhost 2.25 connect has no UDP), wget under timeout, never wget -T",
      command: cmd('udp', '10.244.0.5', 53),
      want: /^timeout 1 wget -qO- 'http:\/\/127\.0\.0\.1:18080\/dial\?request=hostname&protocol=udp&host=10\.244\.0\.5&port=53&tries=1'$/,
    },
    {
      name: 'by name: a bounded nslookup of the FQDN first',
      command: cmd('tcp', 'web.demo-r1.svc.cluster.local'),
      want: /^timeout 1 nslookup web\.demo-r1\.svc\.cluster\.local >\/dev\/null 2>&1 \|\| \{ echo nph-dns-failed; exit 1; \}; timeout 2 \/agnhost connect/,
    },
    { name: 'lookup: nslookup', command: cmd('lookup', 'kubernetes.default.svc.cluster.local', 53), want: /^timeout 1 nslookup kubernetes\.default\.svc\.cluster\.local$/ },
    { name: 'lookup over TCP: not offered, said so', command: cmd('lookup-tcp', 'kubernetes.default.svc.cluster.local', 53), want: /^echo nph-tcp-lookup-unsupported; exit 3$/ },
    { name: 'IPv6 in brackets', command: cmd('tcp', 'fd00::5'), want: /connect --timeout=1s \[fd00::5\]:80$/ },
  ];
  for (const row of renders) {
    it(`renders ${row.name}`, () => expect(toolset.render(row.command, 1)).to.match(row.want));
  }

  it('fits the shared script generator (one background job per probe)', () => {
    const script = renderProbeScript([cmd('tcp', '10.0.0.1'), cmd('udp', '10.0.0.1', 53)], toolset, '/nph-scratch');
    expect(script.match(/ & p\d+=\$!$/gm)).to.have.length(2);
  });

  const rows: { name: string; command: ProbeCommand; code: number; text: string; want: Outcome['kind'] }[] = [
    { name: 'TCP connected', command: cmd('tcp', '10.0.0.1'), code: 0, text: '', want: 'ok' },
    { name: 'TCP TIMEOUT', command: cmd('tcp', '10.0.0.1'), code: 1, text: 'TIMEOUT', want: 'timeout' },
    { name: 'TCP killed by the outer timeout before agnhost ended its own dial (143): no verdict', command: cmd('tcp', '10.0.0.1'), code: 143, text: '', want: 'error' },
    { name: 'TCP REFUSED', command: cmd('tcp', '10.0.0.1'), code: 1, text: 'REFUSED', want: 'refused' },
    { name: 'TCP no route (ICMP unreachable, measured on the rig)', command: cmd('tcp', '10.0.0.1'), code: 1, text: 'OTHER: dial tcp 10.0.0.9:80: connect: no route to host', want: 'refused' },
    { name: 'lookup before connect failed', command: cmd('tcp', 'web.demo.svc.cluster.local'), code: 1, text: 'nph-dns-failed', want: 'dns' },
    { name: 'agnhost connect DNS error', command: cmd('tcp', 'web.demo.svc.cluster.local'), code: 1, text: 'DNS: lookup web: no such host', want: 'dns' },
    { name: 'agnhost missing', command: cmd('tcp', '10.0.0.1'), code: 127, text: 'sh: /agnhost: not found', want: 'error' },
    { name: 'UDP answered', command: cmd('udp', '10.0.0.1', 53), code: 0, text: '{"responses":["web"]}', want: 'ok' },
    { name: 'UDP read timeout', command: cmd('udp', '10.0.0.1', 53), code: 0, text: '{"errors":["reading from udp connection failed. err:\'read udp: i/o timeout\'"]}', want: 'timeout' },
    { name: 'UDP port unreachable', command: cmd('udp', '10.0.0.1', 53), code: 0, text: '{"errors":["read udp 10.0.0.1:1->10.0.0.2:53: read: connection refused"]}', want: 'refused' },
    { name: 'UDP killed by timeout', command: cmd('udp', '10.0.0.1', 53), code: 143, text: '', want: 'timeout' },
    { name: 'UDP netexec not answering', command: cmd('udp', '10.0.0.1', 53), code: 1, text: "wget: can't connect to remote host (127.0.0.1): Connection refused", want: 'error' },
    { name: 'lookup resolved', command: cmd('lookup', 'kubernetes.default.svc.cluster.local', 53), code: 0, text: 'Name: kubernetes.default', want: 'ok' },
    { name: 'lookup failed', command: cmd('lookup', 'kubernetes.default.svc.cluster.local', 53), code: 1, text: ';; connection timed out', want: 'dns' },
    { name: 'lookup killed by timeout', command: cmd('lookup', 'kubernetes.default.svc.cluster.local', 53), code: 143, text: '', want: 'timeout' },
    // busybox nslookup has no TCP mode: never a verdict (the backend reports such scenarios as unsupported first).
    { name: 'a lookup over TCP', command: cmd('lookup-tcp', 'kubernetes.default.svc.cluster.local', 53), code: 3, text: 'nph-tcp-lookup-unsupported', want: 'error' },
  ];
  for (const row of rows) {
    it(`classifies ${row.name} as ${row.want}`, () => expect(toolset.classify(row.command, row.code, row.text).kind).to.equal(row.want));
  }

  describe("TCP through the image's busybox nc", () => {
    const plain = agnhostPodToolset({ http: 18080, ncConnect: 'plain' });
    const verbose = agnhostPodToolset({ http: 18080, ncConnect: 'verbose' });
    it('renders nc bounded by its own alarm, -e last (the rest of the line is its program); -vv for the netcat-1.10 build', () => {
      expect(plain.render(cmd('tcp', '10.244.0.5'), 1)).to.equal('nc -w 1 10.244.0.5 80 </dev/null');
      expect(verbose.render(cmd('tcp', 'fd00::5'), 1)).to.equal('nc -vv -w 1 fd00::5 80 -e true');
    });
    it('keeps agnhost for SCTP and netexec for UDP', () => {
      expect(plain.render(cmd('sctp', '10.244.0.5', 9000), 1)).to.match(/\/agnhost connect --protocol=sctp/);
      expect(plain.render(cmd('udp', '10.244.0.5', 53), 1)).to.match(/\/dial\?/);
    });
    // Texts as the rig's Debian busybox 1.35 printed them; the -vv ones from busybox's nc_bloaty.c.
    const ncRows: { name: string; toolset: typeof plain; code: number; text: string; want: Outcome['kind'] }[] = [
      { name: 'connected', toolset: plain, code: 0, text: '', want: 'ok' },
      { name: 'small nc timed out', toolset: plain, code: 1, text: 'nc: timed out', want: 'timeout' },
      { name: 'small nc refused', toolset: plain, code: 1, text: "nc: can't connect to remote host (10.0.0.1): Connection refused", want: 'refused' },
      { name: 'small nc no route (a REJECT)', toolset: plain, code: 1, text: "nc: can't connect to remote host (10.0.0.1): No route to host", want: 'refused' },
      { name: 'small nc network unreachable', toolset: plain, code: 1, text: "nc: can't connect to remote host (10.0.0.1): Network is unreachable", want: 'unreachable' },
      { name: 'nc killed by a signal (TERM) before its own alarm ended: no verdict', toolset: plain, code: 143, text: '', want: 'error' },
      { name: 'nc that cannot resolve the name', toolset: plain, code: 1, text: "nc: bad address 'web.x.svc.cluster.local'", want: 'dns' },
      { name: 'nc usage (a build that refuses the flags)', toolset: plain, code: 1, text: 'BusyBox v1.36.1 multi-call binary. Usage: nc [OPTIONS] HOST PORT', want: 'error' },
      { name: '-vv timed out', toolset: verbose, code: 1, text: '10.0.0.1 (10.0.0.1:80): Connection timed out sent 0, rcvd 0', want: 'timeout' },
      { name: '-vv refused', toolset: verbose, code: 1, text: '10.0.0.1 (10.0.0.1:80): Connection refused sent 0, rcvd 0', want: 'refused' },
    ];
    for (const row of ncRows) {
      it(`classifies ${row.name} as ${row.want}`, () => expect(row.toolset.classify(cmd('tcp', '10.0.0.1'), row.code, row.text).kind).to.equal(row.want));
    }
  });
});
