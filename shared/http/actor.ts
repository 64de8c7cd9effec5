// moved to shared/services/access.ts (the caller and what it may act for live together)
export { actorOf } from '../services/access';
