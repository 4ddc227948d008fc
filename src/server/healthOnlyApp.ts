import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJsonError } from '../http/index.js';
import type { HealthRoutes } from './healthRoutes.js';

/**
 * The admin listener's app when no ADMIN_TOKEN enables the admin API and the console: the
 * health and metrics routes on node:http alone, any other request the admin app's JSON 404.
 * A sidecar's listener thus never loads express (about 9 MiB of a ready process's memory).
 */
export function healthOnlyApp(
  health: HealthRoutes,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) =>
    health(req, res, () => sendJsonError(res, 404, 'not_found', 'no such route'));
}
