import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Require `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; else 401. */
export function requireAdminToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return next();
    res
      .status(401)
      .set('www-authenticate', 'Bearer realm="scribe-proxy admin"')
      .json({
        error: { code: 'unauthorized', message: 'send Authorization: Bearer <ADMIN_TOKEN>' },
      });
  };
}
