export { startService, type Service, type ServiceOptions } from './service.js';
export { createHardenedServer, defaultLimits, type ServerLimits } from './hardenedServer.js';
export { requestLog } from './requestLog.js';
export { cognitoAgents } from './cognitoAgents.js';
