// Writes shared/schemas/openapi.json from the route table and the zod schemas (build step).
import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '../shared/schemas/openapi';

const file = new URL('../shared/schemas/openapi.json', import.meta.url);
writeFileSync(file, JSON.stringify(buildOpenApi(), null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
