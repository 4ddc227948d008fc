import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Answer a server-rendered page (escaped by preact; the security headers are already set). */
export function sendPage(res: Response, status: number, page: VNode): void {
  const html = `<!doctype html>${renderToString(page)}`;
  res.status(status).type('html').send(html);
}
