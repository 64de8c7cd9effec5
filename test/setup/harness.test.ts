/**
 * The test harness and the local gateway, tested on their own: the event builder, per-file
 * tables, the SES helpers, and the gateway's API Gateway behaviour (routing, 404/405, 413,
 * base64, cookies, 500) with in-memory handlers.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createGateway, type Gateway, type LambdaHandler } from '../../infra/local/gateway';
import { localDynamoClient } from '../../infra/local/dynamo';
import { toCronerPattern } from '../../infra/local/cron';
import { isCalendarDate } from '../../infra/local/env';
import { lookupApiKey } from '../../shared/data/api-keys';
import { sendEmail } from '../../shared/email/send';
import { adminKey, clearSes, invoke, sesMessages } from './helpers';
import { stackOfWorker } from './shared-stack';

describe('per-file environment', () => {
  it('points the SDK at the run’s emulators and gives this file its own ACTIVE table', async () => {
    expect(process.env.DYNAMODB_ENDPOINT).toBe(stackOfWorker(inject('dynamoEndpoints')));
    expect(new Set(inject('dynamoEndpoints')).size, 'one DynamoDB Local per worker').toBe(inject('dynamoEndpoints').length);
    expect(process.env.SES_ENDPOINT).toBe(inject('sesEndpoint'));
    expect(process.env.TABLE_NAME).toMatch(/^pe-test-/);
    const client = localDynamoClient(process.env.DYNAMODB_ENDPOINT!);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
    client.destroy();
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['gsi1', 'gsi2', 'gsi3']);
  });

  it('adminKey() creates one admin key per file', async () => {
    const key = await adminKey();
    expect(await adminKey()).toBe(key);
    expect((await lookupApiKey(key))?.role).toBe('admin');
  });
});

describe('invoke()', () => {
  it('calls a handler with a payload-2.0 event derived from the route table', async () => {
    let seen: APIGatewayProxyEventV2 | undefined;
    const res = await invoke(
      async (event) => {
        seen = event;
        return { statusCode: 201, headers: { 'Content-Type': 'application/json' }, cookies: ['a=1'], body: '{"ok":true}' };
      },
      { method: 'POST', path: '/v1/jobs/expiry-notices/runs?x=1', query: { x: 2, y: 'z' }, apiKey: 'k', body: { asOf: '2025-01-01' } },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ ok: true });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['set-cookie']).toEqual(['a=1']);
    expect(seen).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/jobs/{job}/runs',
      rawPath: '/v1/jobs/expiry-notices/runs',
      rawQueryString: 'x=1&x=2&y=z',
      queryStringParameters: { x: '1,2', y: 'z' },
      pathParameters: { job: 'expiry-notices' },
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"asOf":"2025-01-01"}',
      isBase64Encoded: false,
      requestContext: { stage: '$default', routeKey: 'POST /v1/jobs/{job}/runs', http: { method: 'POST', path: '/v1/jobs/expiry-notices/runs' } },
    });
  });

  it('base64-encodes binary request bodies and decodes binary answers', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0x00]);
    let seen: APIGatewayProxyEventV2 | undefined;
    const res = await invoke(
      async (event) => {
        seen = event;
        return { statusCode: 200, headers: { 'content-type': 'application/pdf' }, body: pdf.toString('base64'), isBase64Encoded: true };
      },
      { method: 'POST', path: '/anything', headers: { 'content-type': 'application/octet-stream' }, body: pdf },
    );
    expect(seen?.isBase64Encoded).toBe(true);
    expect(Buffer.from(seen!.body!, 'base64')).toEqual(pdf);
    expect(res.rawBody).toEqual(pdf);
  });

  it('runs the real health handler', async () => {
    const res = await invoke(await import('../../functions/http/get-health'), { path: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });
});

describe('SES helpers', () => {
  it('sesMessages() sees what the handlers send; clearSes() forgets it for this file', async () => {
    const to = `harness-${randomUUID()}@example.com`;
    await sendEmail({ to, subject: 'Hallo', text: 'tekst', html: '<p>tekst</p>' });
    const mails = await sesMessages({ to });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Hallo');
    await clearSes();
    expect(await sesMessages({ to })).toEqual([]);
  });
});

describe('local gateway', () => {
  let gw: Gateway;
  let base: string;
  const handlers: Record<string, LambdaHandler> = {
    echo: async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }),
    boom: async () => {
      throw new Error('secret detail');
    },
    binary: async () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/pdf' },
      cookies: ['a=1; Path=/', 'b=2'],
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    }),
    plain: async () => ({ hello: 'world' }),
  };
  let handlerCalls = 0;
  let lastEvent: APIGatewayProxyEventV2 | undefined;

  beforeAll(async () => {
    gw = createGateway({
      routes: [
        { id: 'echo', method: 'POST', path: '/things/{id}', handler: 'echo' },
        { id: 'echo', method: 'GET', path: '/things/{id}', handler: 'echo' },
        { id: 'binary', method: 'GET', path: '/things/special', handler: 'binary' },
        { id: 'boom', method: 'GET', path: '/boom', handler: 'boom' },
        { id: 'plain', method: 'GET', path: '/plain', handler: 'plain' },
      ],
      load: async (route) => async (event, ctx) => {
        handlerCalls++;
        lastEvent = event as APIGatewayProxyEventV2;
        return handlers[route.handler](event, ctx);
      },
    });
    base = `http://127.0.0.1:${await gw.listen(0)}`;
  });
  afterAll(() => gw.close());

  it('builds a payload-2.0 event: path params, joined query and headers, cookies', async () => {
    // node:http sends repeated headers as separate lines (fetch would merge them first).
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/things/a%20b?tag=x&tag=y&q=1`, { headers: { 'X-Multi': ['one', 'two'], Cookie: 'c1=v1; c2=v2' } }, (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    const event = JSON.parse(res.body) as APIGatewayProxyEventV2;
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /things/{id}');
    expect(event.rawPath).toBe('/things/a%20b');
    expect(event.pathParameters).toEqual({ id: 'a b' });
    expect(event.rawQueryString).toBe('tag=x&tag=y&q=1');
    expect(event.queryStringParameters).toEqual({ tag: 'x,y', q: '1' });
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext).toMatchObject({ stage: '$default', routeKey: 'GET /things/{id}', http: { method: 'GET', path: '/things/a%20b' } });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.body).toBeUndefined();
  });

  it('prefers the literal route over the parameter one', async () => {
    const res = await fetch(`${base}/things/special`);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
  });

  it('passes text bodies as strings and others base64-encoded', async () => {
    const json = (await (await fetch(`${base}/things/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' })).json()) as APIGatewayProxyEventV2;
    expect(json).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });
    const bin = (await (await fetch(`${base}/things/1`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array([1, 2, 3]) })).json()) as APIGatewayProxyEventV2;
    expect(bin).toMatchObject({ body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true });
  });

  it('takes a non-structured result as a JSON 200', async () => {
    const res = await fetch(`${base}/plain`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('answers 404 and 405 as problem+json', async () => {
    const notFound = await fetch(`${base}/nope`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toBe('application/problem+json');
    expect(await notFound.json()).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    const wrongMethod = await fetch(`${base}/boom`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect(await wrongMethod.json()).toMatchObject({ status: 405, title: 'Method Not Allowed' });
  });

  it('hides a throwing handler behind a generic 500', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(body).not.toContain('secret detail');
  });

  it('refuses bodies over 1 MiB with 413 before the handler runs, by content-length or by counting', async () => {
    const before = handlerCalls;
    const big = new Uint8Array(2 * 1024 * 1024);
    const declared = await fetch(`${base}/things/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toBe('application/problem+json');
    expect(await declared.json()).toMatchObject({ status: 413 });

    // Chunked: no content-length, the gateway has to count.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/things/1`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write(Buffer.alloc(64 * 1024, 0x20));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ status: 413 });

    // Exactly 1 MiB is still fine.
    const limit = await fetch(`${base}/things/1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1024 * 1024) });
    expect(limit.status).toBe(200);
    expect(handlerCalls).toBe(before + 1);
  });

  it('routes HEAD to the GET route, as HEAD <path>, and sends no body', async () => {
    const res = await fetch(`${base}/things/7`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('');
    expect(lastEvent).toMatchObject({ routeKey: 'HEAD /things/{id}', pathParameters: { id: '7' }, requestContext: { http: { method: 'HEAD' } } });
  });

  /** A raw HTTP/1.1 exchange, for requests fetch and node:http would not send as they are. */
  function rawExchange(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.end(text));
      let out = '';
      socket.on('data', (c) => (out += c.toString('latin1')));
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
  }
  const parse = (raw: string) => {
    const [head, body] = raw.split('\r\n\r\n');
    return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), body: JSON.parse(body) };
  };

  it("answers what node's parser refuses as problem+json: 431 for headers over its 16 KiB, 414 for such a request line, 400 for garbage", async () => {
    const before = handlerCalls;
    const headers = parse(await rawExchange(`GET /things/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(headers.status).toBe(431);
    expect(headers.head).toContain('content-type: application/problem+json');
    expect(headers.body).toMatchObject({ type: 'https://pe-register.nl/problems/header-fields-too-large', status: 431 });

    const line = parse(await rawExchange(`GET /things/1?q=${'q'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(line.status).toBe(414);
    expect(line.body).toMatchObject({ type: 'https://pe-register.nl/problems/uri-too-long', status: 414 });

    const garbage = parse(await rawExchange('NOT HTTP AT ALL\r\n\r\n'));
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(handlerCalls).toBe(before);
  });
});

describe('helpers of the local stack', () => {
  it('converts EventBridge crons for croner', () => {
    expect(toCronerPattern('0 6 * * ? *')).toBe('0 6 * * *');
    expect(toCronerPattern('cron(15 10 ? * MON-FRI *)')).toBe('15 10 * * MON-FRI');
    // "From minute 0, every 5 minutes": croner wants a range where EventBridge takes a start.
    expect(toCronerPattern('0/5 * * * ? *')).toBe('0-59/5 * * * *');
    expect(toCronerPattern('0 8/4 ? * 2/2 *')).toBe('0 8-23/4 * * 2-7/2');
    expect(() => toCronerPattern('0 6 * * *')).toThrow(/6 fields/);
  });

  it('accepts only real calendar dates for --as-of', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-2-1')).toBe(false);
  });
});
