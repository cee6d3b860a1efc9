import { expect } from 'chai';
import { labelPatch, notDeclaredFields } from '../../../src/backends/kube/apply-state.js';

describe('kube label patches and schema errors', () => {
  it('adds, changes and removes only the keys that differ, escaping / and ~ (RFC 6901)', () => {
    expect(labelPatch({ a: '1', 'x/y': '2', keep: 'k' }, { a: '2', 'new~k': '3', keep: 'k' })).to.deep.equal([
      { op: 'remove', path: '/metadata/labels/x~1y' },
      { op: 'add', path: '/metadata/labels/a', value: '2' },
      { op: 'add', path: '/metadata/labels/new~0k', value: '3' },
    ]);
  });

  it('is empty when nothing changes', () => expect(labelPatch({ a: '1' }, { a: '1' })).to.deep.equal([]));

  it('reads field paths out of the 1.20 server-side-apply error', () => {
    const message =
      'failed to create typed patch object: .spec.ingress[0].ports[0].endPort: field not declared in schema, .spec.egress[1].ports[0].endPort: field not declared in schema';
    expect(notDeclaredFields(message)).to.deep.equal(['spec.ingress[0].ports[0].endPort', 'spec.egress[1].ports[0].endPort']);
    expect(notDeclaredFields('conflict')).to.deep.equal([]);
  });
});
