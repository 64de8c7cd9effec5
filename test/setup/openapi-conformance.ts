/**
 * The OpenAPI document as a test oracle: every answer an integration test gets through
 * `invoke` must be one the committed shared/schemas/openapi.json declares for that route — its
 * status listed, its media type listed, and a JSON body (success or problem) valid against the
 * schema the document gives. So the document cannot drift from what the handlers do.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormatsModule from 'ajv-formats';
import document from '../../shared/schemas/openapi.json';
import type { Route } from '../../shared/routes';

export const DOCUMENT_ID = 'https://pe-register.nl/openapi.json';

type Json = Record<string, any>;
const doc = document as Json;

// ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/** Ajv (draft 2020-12, the dialect of OpenAPI 3.1) holding the whole document, strict. */
export function documentAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The document's own members are no JSON Schema keywords: known here, so strict mode walks past them.
  ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'components', 'paths']);
  ajv.addSchema(doc, DOCUMENT_ID);
  return ajv;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorAt(...parts: string[]): ValidateFunction {
  const ref = `${DOCUMENT_ID}#/${pointer(...parts)}`;
  let v = validators.get(ref);
  if (!v) {
    ajv ??= documentAjv();
    v = ajv.getSchema(ref);
    if (!v) throw new Error(`openapi.json has no schema at ${ref}`);
    validators.set(ref, v);
  }
  return v;
}

export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: string;
  json: unknown;
}

/** What is wrong with this answer of `route`, by the document; undefined when nothing is. */
export function nonConformance(route: Pick<Route, 'id' | 'method' | 'path'>, method: string, res: Answer): string | undefined {
  const op = doc.paths?.[route.path]?.[route.method.toLowerCase()];
  if (!op) return `${route.id}: ${route.method} ${route.path} is not in openapi.json (npm run build:openapi)`;
  const status = String(res.statusCode);
  const declared = op.responses?.[status];
  const where = `${route.id} answered ${status}`;
  if (!declared) return `${where}, which openapi.json does not list for it (it lists ${Object.keys(op.responses).join(', ')}): declare it in shared/routes.ts (errors) or fix the handler`;
  if (method === 'HEAD' || res.body === '') {
    return declared.content && method !== 'HEAD' && status !== '204' ? `${where} with an empty body; the document promises ${Object.keys(declared.content).join(', ')}` : undefined;
  }
  if (!declared.content) return `${where} with a body, where the document declares none`;
  const header = res.headers['content-type'];
  const mediaType = String(Array.isArray(header) ? header[0] : (header ?? '')).split(';')[0].trim().toLowerCase();
  if (!(mediaType in declared.content)) return `${where} as ${mediaType || 'no content-type'}; the document lists ${Object.keys(declared.content).join(', ')}`;
  if (!/^application\/([\w.+-]*\+)?json$/.test(mediaType) || !declared.content[mediaType].schema) return undefined;
  const validate = validatorAt('paths', route.path, route.method.toLowerCase(), 'responses', status, 'content', mediaType, 'schema');
  if (validate(res.json)) return undefined;
  const problems = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  return `${where}; the body does not match its schema in openapi.json: ${problems.join('; ')}`;
}
