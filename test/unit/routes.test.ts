import { describe, expect, it } from 'vitest';
import { allRoutes, functionDescription } from '../../shared/routes';

/*
 * The route table's entries become Lambda functions whose description is `METHOD path: summary`;
 * CloudFormation refuses one over 256 characters, which otherwise only the stack's synthesis
 * (the slowest test) would find.
 */
describe('the route table', () => {
  it('gives every function a description CloudFormation accepts (at most 256 characters)', () => {
    const tooLong = allRoutes.map((r) => [r.id, functionDescription(r).length] as const).filter(([, n]) => n > 256);
    expect(tooLong).toEqual([]);
  });

  it('has unique ids and one route per method and path', () => {
    expect(new Set(allRoutes.map((r) => r.id)).size).toBe(allRoutes.length);
    expect(new Set(allRoutes.map((r) => `${r.method} ${r.path}`)).size).toBe(allRoutes.length);
  });
});
