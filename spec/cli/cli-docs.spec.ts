import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { buildProgram } from '../../src/cli/main.js';
import { renderCliDocs } from '../../src/cli/render-cli-docs.js';

describe('docs/cli.md', () => {
  it('is generated from the current option tables (run `npm run docs` when this fails)', () => {
    const silent = { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false };
    const fresh = renderCliDocs(buildProgram(silent, () => {}));
    expect(readFileSync('docs/cli.md', 'utf8')).to.equal(fresh);
  });
});
