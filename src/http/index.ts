export { errorBody, sendJsonError } from './errorBody.js';
export { bearerCheck, bearerToken } from './bearerCheck.js';
export { operatorNextStep } from './operatorNextStep.js';
