import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Issue 17's seams, kept by a test: services, domain rules and data modules know nothing of
 * HTTP (they throw domain errors; only the recipes map them); key prefixes are built in
 * shared/data/keys.ts only; the table's name is the data layer's business.
 */
const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(resolve(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** The code without its comments (a key or a name in a comment documents, it does not build). */
function code(file: string): string {
  return withoutComments(readFileSync(resolve(root, file), 'utf8'));
}

function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const HTTP_IMPORT_ALLOWED: string[] = [];
const KEY_LITERAL_ALLOWED: string[] = [];
const TABLE_NAME_ALLOWED: string[] = [];

/** Files below these folders, other than the allowed ones, where `pattern` matches the code. */
function offenders(dirs: string[], pattern: RegExp, allowed: readonly string[]): string[] {
  return dirs
    .flatMap(sources)
    .filter((f) => !allowed.some((a) => (a.endsWith('/') ? f.startsWith(a) : f === a)))
    .flatMap((f) => [...code(f).matchAll(pattern)].map((m) => `${f}: ${m[0]}`));
}

describe('the seams of shared/', () => {
  it('services, domain rules and data modules import nothing from shared/http', () => {
    const fromHttp = /from\s+'(?:\.\.\/)+http\/[\w-]+'/g;
    expect(offenders(['shared/services', 'shared/domain', 'shared/data'], fromHttp, HTTP_IMPORT_ALLOWED)).toEqual([]);
  });

  it('key prefixes (`XYZ#…`) are built in shared/data/keys.ts only', () => {
    const keyLiteral = /['"`][A-Z][A-Z_]*#/g;
    expect(offenders(['shared', 'functions', 'infra'], keyLiteral, [...KEY_LITERAL_ALLOWED, 'shared/data/keys.ts'])).toEqual([]);
  });

  it('the table name is used in shared/data only (and read from the environment by shared/config.ts)', () => {
    const tableName = /\btableName\(\)|\bTABLE_NAME\b|\bconfig\.tableName\b/g;
    const outside = offenders(['shared', 'functions'], tableName, [...TABLE_NAME_ALLOWED, 'shared/config.ts']).filter((o) => !o.startsWith('shared/data/'));
    expect(outside).toEqual([]);
  });

  it('no retry loop, pause or pool of its own: the data client has the one optimistic loop and its sleep, shared/bounded.ts the one pool (issue 17)', () => {
    const loops = /\bsetTimeout\s*\(|\bfor\s*\(\s*let\s+(attempt|tries|retry|poll)\b|\bwhile\s*\(\s*true\s*\)|\bfor\s*\(\s*;\s*;\s*\)|\bnew Array\(\s*concurrency\b/g;
    expect(offenders(['shared', 'functions'], loops, ['shared/data/client.ts'])).toEqual([]);
    expect(code('shared/data/client.ts')).toMatch(loops);
  });

  it('the checks see what they look for (a literal in code is found, one in a comment is not)', () => {
    expect(code('shared/data/keys.ts')).toMatch(/prefix\('PARTICIPANT'\)/);
    const sample = "const sk = `REG#${startsOn}`; /* `EVENT#` */ const p = 'EMPLOYEE#'; // `NOTICE#`";
    expect([...withoutComments(sample).matchAll(/['"`][A-Z][A-Z_]*#/g)].map((m) => m[0])).toEqual(['`REG#', "'EMPLOYEE#"]);
    expect(code('shared/data/keys.ts')).not.toContain('`REG#2026-01-01`');
  });
});
