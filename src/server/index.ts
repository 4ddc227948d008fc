export { startService, type Service, type ServiceOptions } from './service.js';
export {
  createHardenedServer,
  defaultLimits,
  type Listener,
  type ServerLimits,
} from './hardenedServer.js';
export { TlsContext, type TlsContextOptions, type ReloadTrigger } from './tlsContext.js';
export { requestLog } from './requestLog.js';
export { cognitoAgents } from './cognitoAgents.js';
export { scribeAuthFor } from './scribeAuthFor.js';
