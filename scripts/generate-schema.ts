/** `npm run schema`: writes schema/scenario.schema.json from the zod schema. */
import { writeFileSync } from 'node:fs';
import { renderScenarioJsonSchema, SCENARIO_JSON_SCHEMA_PATH } from '../src/scenario/scenario-json-schema.js';

writeFileSync(SCENARIO_JSON_SCHEMA_PATH, renderScenarioJsonSchema());
process.stdout.write(`wrote ${SCENARIO_JSON_SCHEMA_PATH}\n`);
