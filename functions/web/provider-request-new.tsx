import { newRequestHandler } from './recognition-request-pages';

/** See recognition-request-pages.tsx: the same page for providers and employers. */
export const handler = newRequestHandler({ role: 'provider', base: '/opleider', home: '/opleider' }, ['page-provider-request-new', 'page-provider-request-submit']);
