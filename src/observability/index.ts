export { createLogger, type Logger } from './logger.js';
export { requestLine } from './requestLine.js';
export { createMetrics, type BuildInfo, type Metrics } from './metrics.js';
export { RequestTally, TallySeries } from './requestTally.js';
export { redactText, redactPaths, secretKeys } from './redact.js';
export { RecentMinutes, type MinuteBucket } from './recentMinutes.js';
