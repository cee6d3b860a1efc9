import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { renderScenarioJsonSchema, SCENARIO_JSON_SCHEMA_PATH } from '../../src/scenario/scenario-json-schema.js';

describe('scenario/schema-json', () => {
  it('the committed schema/scenario.schema.json equals a fresh generation', () => {
    const committed = readFileSync(SCENARIO_JSON_SCHEMA_PATH, 'utf8');
    expect(committed === renderScenarioJsonSchema(), `${SCENARIO_JSON_SCHEMA_PATH} is stale: run \`npm run schema\``).to.equal(true);
  });

  it('is strict: every object forbids unknown keys', () => {
    const objects: Array<Record<string, unknown>> = [];
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v !== null && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o['type'] === 'object' && o['properties']) objects.push(o);
        Object.values(o).forEach(visit);
      }
    };
    visit(JSON.parse(renderScenarioJsonSchema()));
    expect(objects.length).to.be.greaterThan(10);
    expect(objects.filter((o) => o['additionalProperties'] !== false)).to.deep.equal([]);
  });
});
