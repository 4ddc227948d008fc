export { createLogger, type Logger } from './logger.js';
export { requestLine } from './requestLine.js';
export { createMetrics, type Metrics } from './metrics.js';
export { redactText, redactPaths, secretKeys } from './redact.js';
export { RecentMinutes, type MinuteBucket } from './recentMinutes.js';
