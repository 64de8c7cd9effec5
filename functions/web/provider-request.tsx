import { requestHandler } from './recognition-request-pages';

/** See recognition-request-pages.tsx: the same page for providers and employers. */
export const handler = requestHandler({ role: 'provider', base: '/opleider', home: '/opleider' }, ['page-provider-request', 'page-provider-request-resubmit']);
