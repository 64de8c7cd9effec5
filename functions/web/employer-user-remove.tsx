import { pageHandler } from '../../shared/web/page';
import { userRemovalPage } from '../../shared/web/users-pages';

/* Removing one of the employer's colleagues (WEB.md): the confirmation step, then the removal. */
export const handler = pageHandler(userRemovalPage('employer'));
