import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../shared/schemas/openapi';

type Op = { parameters: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: { content: Record<string, unknown> }; 'x-roles': string[] };

describe('the employer routes in the OpenAPI document', () => {
  const paths = (buildOpenApi() as { paths: Record<string, Record<string, Op>> }).paths;

  it('documents the collective registration: JSON or CSV body, the Idempotency-Key header, 415 and 422', () => {
    const op = paths['/v1/employers/{employerId}/collective-registrations'].post;
    expect(Object.keys(op.requestBody!.content)).toEqual(['application/json', 'text/csv']);
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '415', '422']));
    expect(op['x-roles']).toEqual(['employer', 'admin']);
  });

  it('documents the reports as JSON, CSV or an Excel workbook, in a language, and unlinking as admin only', () => {
    for (const path of ['/v1/employers/{employerId}/report', '/v1/employers/{employerId}/report/{participantId}']) {
      expect(Object.keys(paths[path].get.responses['200'].content!)).toEqual(['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
      const params = paths[path].get.parameters as unknown as { name: string; schema: { enum?: string[] } }[];
      expect(params.find((p) => p.name === 'format')?.schema.enum).toEqual(['json', 'csv', 'xlsx']);
      expect(params.find((p) => p.name === 'lang')?.schema.enum).toEqual(['nl', 'en']);
    }
    expect(paths['/v1/employers/{employerId}/employees/{participantId}'].delete['x-roles']).toEqual(['admin']);
  });
});
