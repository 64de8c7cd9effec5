import { perRequest, type PageContext } from './page';
import { participantFor } from '../services/participants';
import { displayName } from '../data/participants';

/** The signed-in participant's profile, read once per request (the header wants the name, the page the rest). */
export const sessionParticipant = perRequest((ctx) => participantFor(ctx.caller, ctx.session!.ownerId));

/** The header's name: the signed-in participant. */
export const participantViewer = async (ctx: PageContext) => ({ name: displayName(await sessionParticipant(ctx)) });
