/**
 * The per-client rate limit behind CloudFront: every request reaches the function from one of
 * CloudFront's addresses, so the limit counts the viewer CloudFront reports — on requests that
 * carry CloudFront's secret origin header, and only on those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as requestActivation from '../../functions/http/request-activation';
import { invoke } from '../setup/helpers';
import { whenActivationsIdle } from '../../shared/services/activation';
import { db, tableName } from '../../shared/data/client';
import { rateLimitKey } from '../../shared/data/rate-limits';
import { forgetSecretStrings } from '../../shared/crypto/secret-values';
import { DEFAULT_RATE_LIMITS } from '../../shared/config';

const CLIENT = DEFAULT_RATE_LIMITS.client;
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:OriginVerify-AbCdEf';
const SECRET = 'v'.repeat(48);
/** One CloudFront edge: the address API Gateway sees for every request through the distribution. */
const EDGE = '130.176.96.10';
/** Inside one client window whatever the wall clock (as in request-limits.test.ts). */
const HOUR = 3_600_000;
const AT = new Date((Math.floor(Date.now() / HOUR) + 1) * HOUR + 100_000);
const AT_SECONDS = AT.getTime() / 1000;

const sm = mockClient(SecretsManagerClient);
const run = Date.now().toString(36).toUpperCase();

beforeAll(() => {
  sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });
  process.env.ORIGIN_VERIFY_SECRET_ARN = ARN;
});
afterAll(async () => {
  await whenActivationsIdle();
  delete process.env.ORIGIN_VERIFY_SECRET_ARN;
  forgetSecretStrings();
  sm.restore();
});

async function clientCount(value: string): Promise<number | undefined> {
  const windowStart = AT_SECONDS - (AT_SECONDS % CLIENT.windowSeconds);
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: rateLimitKey({ group: 'request-activation', kind: 'client', value }, windowStart), ConsistentRead: true }),
  );
  return res.Item?.count as number | undefined;
}

// Unknown diplomas: always 202, nothing is sent; only the counting matters here.
const ask = (i: number, headers: Record<string, string>, sourceIp: string) =>
  invoke(requestActivation, {
    path: '/v1/activations',
    body: { diplomaNumber: `CF${run}${i}`, birthDate: '1985-06-15', email: `cf.${run}.${i}@example.nl` },
    headers,
    sourceIp,
    now: AT,
  });

describe('per-client limit behind CloudFront', () => {
  it('counts each viewer apart, not the CloudFront edge they all arrive from', async () => {
    const n = CLIENT.max + 5;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => ask(i, { 'x-origin-verify': SECRET, 'cloudfront-viewer-address': `198.51.100.${i}:${40000 + i}` }, EDGE)),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(n).fill(202));
    expect(await clientCount('198.51.100.0')).toBe(1);
    expect(await clientCount(EDGE)).toBeUndefined();

    // One viewer is still limited, from whichever edge its requests arrive.
    const one = await Promise.all(
      Array.from({ length: CLIENT.max + 1 }, (_, i) =>
        ask(1000 + i, { 'x-origin-verify': SECRET, 'cloudfront-viewer-address': `2001:db8:1:2::${i}:443` }, `130.176.96.${100 + i}`),
      ),
    );
    expect(one.filter((r) => r.statusCode === 429)).toHaveLength(1);
    expect(await clientCount('2001:db8:1:2::/64')).toBe(CLIENT.max);
  });

  it('counts the connection of a request around CloudFront, whatever viewer header it forges', async () => {
    const attacker = '203.0.113.66';
    const results = await Promise.all(
      Array.from({ length: CLIENT.max + 1 }, (_, i) => ask(2000 + i, { 'cloudfront-viewer-address': `192.0.2.${i}:1234`, 'x-origin-verify': 'guessed' }, attacker)),
    );
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(1);
    expect(await clientCount(attacker)).toBe(CLIENT.max);
    expect(await clientCount('192.0.2.0')).toBeUndefined();
  });
});
