export { adminRouter, type AdminRouterOptions } from './adminRouter.js';
