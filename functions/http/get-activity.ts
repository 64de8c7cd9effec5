import { httpHandler } from '../../shared/http/handler';
import { optionalCaller } from '../../shared/http/optional-auth';
import { ActivityParamsSchema } from '../../shared/schemas/recognition';
import { activityFor } from '../../shared/services/catalogue';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-activity',
  params: ActivityParamsSchema,
  handler: async ({ params, headers }) => {
    const caller = await optionalCaller(headers);
    const activity = await activityFor(caller, params.activityId, todayInAmsterdam());
    // An internal activity differs per caller: never let a shared cache keep it.
    return { status: 200, body: activity, headers: { 'cache-control': activity.internal || caller ? 'private, no-store' : 'public, max-age=60' } };
  },
});
