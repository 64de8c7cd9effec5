import { requestHandler } from './recognition-request-pages';

/** See recognition-request-pages.tsx: the same page for providers and employers. */
export const handler = requestHandler({ role: 'employer', base: '/werkgever', home: '/werkgever/activiteiten' }, ['page-employer-request', 'page-employer-request-resubmit']);
