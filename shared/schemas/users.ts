import * as z from 'zod/mini';
import { EmailSchema, PageQueryFields, text } from './common';
import { LanguageSchema } from './participants';

/** `POST /v1/employers/{employerId}/users` (and providers'): a colleague to invite. */
export const CreateUserRequestSchema = z.strictObject({
  email: EmailSchema,
  name: text({ max: 200 }),
  /** The language of the invitation e-mail (default nl). */
  language: z.optional(LanguageSchema),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

export const CreateUserResponseSchema = z.object({ userId: z.string(), email: z.string(), name: z.string() });

export const UserSchema = z.object({ userId: z.string(), email: z.string(), name: z.string(), language: LanguageSchema, createdAt: z.string() });
export const UserListSchema = z.object({ items: z.array(UserSchema), nextCursor: z.optional(z.string()) });
export const UsersQuerySchema = z.strictObject({ ...PageQueryFields });

const UserIdSchema = z.string().check(z.regex(/^usr_[0-9A-Z]{26}$/, 'Unknown user id format'));
export const EmployerUserParamsSchema = z.strictObject({
  employerId: z.string().check(z.regex(/^emp_[0-9A-Z]{26}$/, 'Unknown employer id format')),
  userId: UserIdSchema,
});
export const ProviderUserParamsSchema = z.strictObject({
  providerId: z.string().check(z.regex(/^prv_[0-9A-Z]{26}$/, 'Unknown provider id format')),
  userId: UserIdSchema,
});
