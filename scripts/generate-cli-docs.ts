/** Writes docs/cli.md from the commander program (`npm run docs`). */
import { writeFileSync } from 'node:fs';
import { buildProgram } from '../src/cli/main.js';
import { renderCliDocs } from '../src/cli/render-cli-docs.js';

const silent = { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false };
writeFileSync(new URL('../docs/cli.md', import.meta.url), renderCliDocs(buildProgram(silent, () => {})));
console.log('wrote docs/cli.md');
