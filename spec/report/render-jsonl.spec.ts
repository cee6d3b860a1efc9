import { expect } from 'chai';
import { renderJsonl, toJsonResult } from '../../src/report/render-jsonl.js';
import type { ScenarioResult } from '../../src/report/result.js';
import { shopCheck, shopRun } from '../fixtures/report-fixture.js';
import { expectGolden } from './golden.js';

describe('report/render-jsonl', () => {
  it('golden: check result', () => expectGolden('shop-check.jsonl', renderJsonl([shopCheck])));
  it('golden: run result', () => expectGolden('shop-run.jsonl', renderJsonl([shopRun])));

  it('one line per scenario, each the whole result', () => {
    const lines = renderJsonl([shopCheck, shopRun]).split('\n');
    expect(lines).to.have.length(3);
    expect(lines[2]).to.equal('');
    expect(JSON.parse(lines[0]!)).to.deep.equal(shopCheck);
    expect(JSON.parse(lines[1]!)).to.deep.equal(shopRun);
  });

  it('no results, no output', () => expect(renderJsonl([])).to.equal(''));

  it('writes fields in the order of SCENARIO-FORMAT.md, extensions last, whatever order they came in', () => {
    const scrambled = {
      environment: { backend: 'local' },
      steps: [
        {
          flapped: [],
          probes: [
            { expectation: 'deny * -> *', outcome: 'timeout', pass: true, reason: 'r', observed: 'deny', predicted: 'deny', expected: 'deny', protocol: 'UDP', port: 53, to: 'dns', from: 'd/a' },
          ],
          convergedMs: 5,
          pass: true,
          name: 's',
          index: 0,
        },
      ],
      pass: true,
      file: 'f.yaml',
      scenario: 'x',
    } as unknown as ScenarioResult;
    const line = renderJsonl([scrambled]);
    expect(line).to.equal(
      '{"scenario":"x","file":"f.yaml","pass":true,"steps":[{"index":0,"name":"s","pass":true,"probes":[' +
        '{"from":"d/a","to":"dns","port":53,"protocol":"UDP","expected":"deny","predicted":"deny","observed":"deny","reason":"r","pass":true,"outcome":"timeout","expectation":"deny * -> *"}' +
        '],"convergedMs":5,"flapped":[]}],"environment":{"backend":"local"}}\n',
    );
    expect(toJsonResult(scrambled)).to.deep.equal(scrambled);
  });

  it('keeps null for unasserted and unobserved columns', () => {
    const probe = JSON.parse(renderJsonl([shopCheck]))['steps'][0]['probes'][0];
    expect(probe).to.include({ observed: null });
    expect(Object.keys(probe).slice(0, 9)).to.deep.equal(['from', 'to', 'port', 'protocol', 'expected', 'predicted', 'observed', 'reason', 'pass']);
  });
});
