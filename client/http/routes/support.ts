/**
 * Support operations between joining and leaving, one module per resource: one person
 * (support-person.ts), look-ups (support-lookups.ts), bulk runs (support-bulk.ts).
 */
import { type ApiRoute } from '../route-spec';
import { bulkSupportRoutes } from './support-bulk';
import { supportLookupRoutes } from './support-lookups';
import { personSupportRoutes } from './support-person';

/** Support operations need the support key (LIFECYCLE_ADMIN_API_KEY): see auth.ts. */
export const supportRoutes: ApiRoute[] = [
  ...personSupportRoutes,
  ...supportLookupRoutes,
  ...bulkSupportRoutes,
].map((route) => ({ ...route, access: 'admin' }));
