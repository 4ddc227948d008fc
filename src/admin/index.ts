export { adminRouter, type AdminRouterOptions } from './adminRouter.js';
export { sessionsRouter, type SessionsRouterOptions } from './sessionsRouter.js';
export { openApiDocument, adminOperations, type AdminOperation } from './openApi.js';
