export { createLogger, requestLogger, type Logger } from './logger.js';
export { createMetrics, type Metrics } from './metrics.js';
export { redactText, redactPaths, secretKeys } from './redact.js';
export { RecentMinutes, type MinuteBucket } from './recentMinutes.js';
