import { expect } from 'chai';
import { fromClientModel, toClientModel } from '../../../src/backends/kube/client-model.js';

describe('kube client-model renaming', () => {
  const wire = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'n' },
    spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80, endPort: 90 }] }] },
  };

  it('renames ingress `from` to the model name `_from` that client-node serializes (else it is silently dropped)', () => {
    const model = toClientModel(wire, 'V1NetworkPolicy') as any;
    expect(model.spec.ingress[0]).to.have.property('_from');
    expect(model.spec.ingress[0]).to.not.have.property('from');
    expect(model.spec.ingress[0].ports).to.deep.equal([{ port: 80, endPort: 90 }]);
  });

  it('round-trips back to the wire shape', () => {
    expect(fromClientModel(toClientModel(wire, 'V1NetworkPolicy'), 'V1NetworkPolicy')).to.deep.equal(wire);
  });
});
