import { expect } from 'chai';
import { diffStored } from '../../../src/backends/kube/compare-stored.js';

describe('kube read-back comparison', () => {
  const rows: { name: string; sent: unknown; stored: unknown; want: string[] }[] = [
    { name: 'identical', sent: { a: [{ port: 80 }] }, stored: { a: [{ port: 80 }] }, want: [] },
    { name: 'server defaults are not a difference', sent: { ingress: [{ ports: [{ port: 80 }] }] }, stored: { ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] }, want: [] },
    { name: 'a dropped endPort', sent: { ingress: [{ ports: [{ port: 80, endPort: 90 }] }] }, stored: { ingress: [{ ports: [{ port: 80 }] }] }, want: ['ingress[0].ports[0].endPort'] },
    { name: 'a dropped list', sent: { ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } } }] }] }, stored: { ingress: [{}] }, want: ['ingress[0].from[0].podSelector.matchLabels.a'] },
    { name: 'empty lists and objects the server omits', sent: { podSelector: {}, ingress: [{ from: [] }] }, stored: { ingress: [{}] }, want: [] },
    { name: 'a changed value', sent: { p: 'x' }, stored: { p: 'y' }, want: ['p'] },
  ];
  for (const row of rows) {
    it(`finds ${row.want.length === 0 ? 'nothing' : row.want.join(', ')}: ${row.name}`, () => {
      expect(diffStored(row.sent, row.stored).map((d) => d.path)).to.deep.equal(row.want);
    });
  }
});
