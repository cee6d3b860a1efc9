import { expect } from 'chai';
import { parseYamlFile } from '../../src/scenario/parse-yaml.js';

describe('scenario/parse-yaml', () => {
  it('reports an error the parser gives twice at one position once (found by the mutated-scenario property spec)', () => {
    const text = ['spec:', '  steps:', '    - expect:', '        - allow * -> *', '  &a {      - deny * -> web', ''].join('\n');
    const { diagnostics } = parseYamlFile(text, 'm.yaml');
    const lines = diagnostics.map((d) => `${d.range[0]} ${d.message}`);
    expect(lines.length).to.be.greaterThan(0);
    expect(new Set(lines).size, lines.join('\n')).to.equal(lines.length);
  });
});
