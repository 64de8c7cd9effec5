import { httpHandler } from '../../shared/http/handler';
import { loadTariffs, tariffOn } from '../../shared/data/tariffs';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'list-tariffs',
  handler: async () => {
    const tariffs = await loadTariffs();
    const view = ({ setBy: _by, ...t }: (typeof tariffs)[number]) => t;
    const current = tariffOn(tariffs, todayInAmsterdam());
    return { status: 200, body: { items: tariffs.map(view), current: current ? view(current) : null } };
  },
});
