export { adminRouter, type AdminRouterOptions } from './adminRouter.js';
export { sessionsRouter, type SessionsRouterOptions } from './sessionsRouter.js';
export { openApiDocument, adminOperations, type AdminOperation } from './openApi.js';
export {
  adminTokenThrottle,
  countWrongToken,
  lockedOut,
  type AdminTokenThrottle,
  type AdminTokenRefusal,
} from './requireAdminToken.js';
