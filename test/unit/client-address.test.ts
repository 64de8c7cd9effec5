/**
 * Who the per-client rate limits count behind CloudFront (shared/http/client-address.ts): the
 * viewer CloudFront reports, but only on a request that carries CloudFront's secret origin header.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { buildEvent } from '../../infra/local/event';
import { clientAddress, requestClient, viewerAddress } from '../../shared/http/client-address';
import { forgetSecretStrings } from '../../shared/crypto/secret-values';

describe('CloudFront-Viewer-Address', () => {
  it('is the address before the port: IPv4, and IPv6 as CloudFront writes it (no brackets) or bracketed', () => {
    expect(viewerAddress('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(viewerAddress('2406:2d40:728d:fa10::c4a:42838')).toBe('2406:2d40:728d:fa10::c4a');
    expect(viewerAddress('0000:0000:0000:0000:0000:0000:0000:0001:52325')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(viewerAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(viewerAddress(' 203.0.113.7:1 ')).toBe('203.0.113.7');
  });

  it('is nothing when it is not one address with a port', () => {
    for (const value of [
      undefined,
      '',
      '198.51.100.10',
      '198.51.100.10:',
      '198.51.100.10:65536',
      '198.51.100.10:80, 203.0.113.1:80',
      '[198.51.100.10]:80',
      '2001:db8::1',
      'localhost:80',
      '999.1.1.1:80',
      'unknown',
    ]) {
      expect(viewerAddress(value), String(value)).toBeUndefined();
    }
  });
});

describe('the client of a request', () => {
  const sm = mockClient(SecretsManagerClient);
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:OriginVerify-AbCdEf';
  const SECRET = 's'.repeat(48);
  const EDGE = '130.176.96.72';

  const event = (headers: Record<string, string>, sourceIp = EDGE) => buildEvent({ method: 'POST', rawPath: '/v1/activations', headers, sourceIp });

  beforeEach(() => {
    sm.reset();
    forgetSecretStrings();
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });
  });
  afterEach(() => {
    delete process.env.ORIGIN_VERIFY_SECRET_ARN;
    forgetSecretStrings();
  });

  it('locally (no origin secret configured) is the connection, whatever the headers say', async () => {
    const e = event({ 'cloudfront-viewer-address': '198.51.100.10:46532', 'x-origin-verify': SECRET }, '203.0.113.5');
    expect(await requestClient(e)).toBe('203.0.113.5');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  describe('in the cloud', () => {
    beforeEach(() => {
      process.env.ORIGIN_VERIFY_SECRET_ARN = ARN;
    });

    it('through CloudFront (the secret origin header) is the viewer, IPv6 as its /64', async () => {
      expect(await requestClient(event({ 'cloudfront-viewer-address': '198.51.100.10:46532', 'x-origin-verify': SECRET }))).toBe('198.51.100.10');
      expect(await requestClient(event({ 'cloudfront-viewer-address': '2406:2d40:728d:fa10::c4a:42838', 'x-origin-verify': SECRET }))).toBe(
        clientAddress('2406:2d40:728d:fa10::c4a'),
      );
      expect(clientAddress('2406:2d40:728d:fa10::c4a')).toBe('2406:2d40:728d:fa10::/64');
      // The secret is fetched once per container.
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    });

    it('around CloudFront (no or a wrong origin header) is the connection: a forged viewer header counts for nothing', async () => {
      const forged = { 'cloudfront-viewer-address': '198.51.100.10:46532' };
      expect(await requestClient(event(forged, '203.0.113.9'))).toBe('203.0.113.9');
      expect(await requestClient(event({ ...forged, 'x-origin-verify': 'guess' }, '203.0.113.9'))).toBe('203.0.113.9');
      expect(await requestClient(event({ ...forged, 'x-origin-verify': SECRET.slice(1) }, '203.0.113.9'))).toBe('203.0.113.9');
      expect(await requestClient(event({ ...forged, 'x-origin-verify': `${SECRET} ` }, '203.0.113.9'))).toBe('203.0.113.9');
    });

    it('through CloudFront with an unreadable viewer header is CloudFront\'s address (stricter, never a way around)', async () => {
      expect(await requestClient(event({ 'cloudfront-viewer-address': '198.51.100.10:1, 203.0.113.1:2', 'x-origin-verify': SECRET }))).toBe(EDGE);
      expect(await requestClient(event({ 'x-origin-verify': SECRET }))).toBe(EDGE);
    });

    it('an empty secret is an error, never a match for an empty header', async () => {
      sm.reset();
      sm.on(GetSecretValueCommand).resolves({ SecretString: '' });
      await expect(requestClient(event({ 'cloudfront-viewer-address': '198.51.100.10:1', 'x-origin-verify': '' }))).rejects.toThrow(/no SecretString/);
    });

    it('fetches the secret again on the next request when the fetch failed', async () => {
      sm.reset();
      sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: SECRET });
      const e = event({ 'cloudfront-viewer-address': '198.51.100.10:46532', 'x-origin-verify': SECRET });
      await expect(requestClient(e)).rejects.toThrow('throttled');
      expect(await requestClient(e)).toBe('198.51.100.10');
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    });
  });
});
