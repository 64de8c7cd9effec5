import * as z from 'zod/mini';
import { text } from './common';

/** Issue 18: the registration period as an Open Badges 3.0 verifiable credential. */

/** Any short id: one that names no list is a 404 (shared/services/credentials.ts), as a list not made yet is. */
export const StatusListParamsSchema = z.strictObject({ listId: z.string().check(z.maxLength(40)) });

/** `POST /v1/participants/{participantId}/credential/revocations`: why the register withdraws the credential. */
export const CredentialRevocationRequestSchema = z.strictObject({ reason: text({ max: 500, multiline: true }) });
export type CredentialRevocationRequest = z.infer<typeof CredentialRevocationRequestSchema>;

export const CredentialRevocationResponseSchema = z.object({
  credentialId: z.string(),
  revoked: z.literal(true),
  revokedAt: z.string(),
  reason: z.string(),
  /** True when it had been revoked before this call: nothing changed. */
  alreadyRevoked: z.boolean(),
});

/** `POST /v1/credentials/verifications`: the credential as pasted (the compact JWS; whitespace around it is ignored). */
export const CredentialVerificationRequestSchema = z.strictObject({ credential: text({ max: 20_000, multiline: true }) });
export type CredentialVerificationRequest = z.infer<typeof CredentialVerificationRequestSchema>;

export const VERIFICATION_REASONS = ['malformed', 'unknown-issuer', 'unknown-key', 'bad-signature', 'not-yet-valid', 'expired', 'revoked', 'status-unavailable'] as const;

export const CredentialVerificationSchema = z.object({
  /** The signature holds, made with this register's key. */
  valid: z.boolean(),
  /** Valid, within its dates, and not revoked. */
  current: z.boolean(),
  revoked: z.boolean(),
  /** Whose it is (only when valid). */
  subject: z.optional(z.object({ name: z.string(), title: z.string(), registrationNumber: z.string() })),
  validFrom: z.optional(z.string()),
  validUntil: z.optional(z.string()),
  /** Why it is not valid or not current (empty when current). */
  reasons: z.array(z.enum(VERIFICATION_REASONS)),
});

export const DidDocumentSchema = z.looseObject({
  '@context': z.array(z.string()),
  id: z.string(),
  verificationMethod: z.array(z.looseObject({ id: z.string(), type: z.string(), controller: z.string(), publicKeyJwk: z.looseObject({}) })),
  assertionMethod: z.array(z.string()),
});

export const credentialsSchemas: Record<string, z.ZodMiniType> = {
  CredentialRevocationRequest: CredentialRevocationRequestSchema,
  CredentialRevocationResponse: CredentialRevocationResponseSchema,
  CredentialVerificationRequest: CredentialVerificationRequestSchema,
  CredentialVerification: CredentialVerificationSchema,
  DidDocument: DidDocumentSchema,
};
