/**
 * The JSON Schema for editors (schema/scenario.schema.json), generated from the zod schema so
 * that both say the same (STYLE 6: derive from the source of truth).
 */
import { z } from 'zod';
import { scenarioFileSchema } from './schema.js';

/** Where the generated schema is committed, relative to the project root. */
export const SCENARIO_JSON_SCHEMA_PATH = 'schema/scenario.schema.json';

/** The schema as pretty-printed JSON (2 spaces, trailing newline); deterministic. */
export function renderScenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioFileSchema, { target: 'draft-2020-12' });
  const withTitle = {
    $schema: schema.$schema,
    title: 'netpol-harness scenario (netpol-harness/v1alpha1)',
    ...schema,
  };
  return `${JSON.stringify(withTitle, null, 2)}\n`;
}
