/*
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (infra/constructs/
 * pe-function.ts BUNDLE_ALIASES). On Lambda the execution role's credentials are in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the first source of the SDK's
 * default chain, so that chain always ends there. The rest of it (SSO, STS web identity, ini
 * files, the instance metadata service) brought @aws-sdk/nested-clients and ~80 KB into every
 * bundle. Locally and in tests nothing is bundled: the full chain applies.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
