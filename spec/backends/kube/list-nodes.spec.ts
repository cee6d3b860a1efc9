import { expect } from 'chai';
import { parseCpus } from '../../../src/backends/kube/list-nodes.js';

describe('backends/kube/list-nodes: parseCpus', () => {
  const rows: [string | undefined, number | undefined][] = [
    ['2', 2],
    ['1500m', 1.5],
    ['0.5', 0.5],
    ['', undefined],
    [undefined, undefined],
    ['2Gi', undefined],
  ];
  for (const [quantity, cpus] of rows) it(`reads ${JSON.stringify(quantity)} as ${cpus}`, () => expect(parseCpus(quantity)).to.equal(cpus));
});
