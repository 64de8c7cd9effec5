import { newRequestHandler } from './recognition-request-pages';

/** See recognition-request-pages.tsx: the same page for providers and employers. */
export const handler = newRequestHandler({ role: 'employer', base: '/werkgever', home: '/werkgever/activiteiten' }, ['page-employer-request-new', 'page-employer-request-submit']);
