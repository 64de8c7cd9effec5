/*
 * What a handler was built with, readable from the outside: the structure test
 * (test/unit/route-table.test.ts) checks each function file against shared/routes.ts with it.
 * A registered symbol, so every copy of this module (tests, bundles) names the same property.
 */
import type * as z from 'zod/mini';

export const HANDLER_SPEC: unique symbol = Symbol.for('pe-register.handler-spec') as never;

export interface BuiltWith {
  /** The route ids the handler serves (an API handler one, a page handler one or more). */
  routes: string[];
  /** The body schema it validates with (API handlers in JSON mode). */
  body?: z.ZodMiniType;
  bodyMode?: 'json' | 'raw';
}

/** Marks `handler` with what it was built with; returns it unchanged otherwise. */
export function builtWith<H extends object>(handler: H, spec: BuiltWith): H & { [HANDLER_SPEC]: BuiltWith } {
  return Object.assign(handler, { [HANDLER_SPEC]: spec });
}
