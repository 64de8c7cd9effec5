import { pageHandler } from '../../shared/web/page';
import { usersPages } from '../../shared/web/users-pages';

/* Provider's colleagues pages (WEB.md): the list, the invite form, the removal with its confirmation. */
export const handler = pageHandler(usersPages('provider'));
