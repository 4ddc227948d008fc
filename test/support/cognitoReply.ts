import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The headers of every answer of an emulated Cognito, its `Date` read on its own clock (epoch ms). */
export function cognitoHeaders(cognitoNow: number): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.1',
    date: new Date(cognitoNow).toUTCString(),
    'x-amzn-requestid': randomUUID(),
  };
}

/** Answer with a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  cognitoNow: number,
): void {
  res.writeHead(status, cognitoHeaders(cognitoNow));
  res.end(JSON.stringify(body));
}

/** Answer with Cognito's JSON error (`__type`, `message`, and the `x-amzn-errortype` header). */
export function sendError(
  res: ServerResponse,
  error: { type: string; message: string; status: number },
  cognitoNow: number,
): void {
  res.writeHead(error.status, { ...cognitoHeaders(cognitoNow), 'x-amzn-errortype': error.type });
  res.end(JSON.stringify({ __type: error.type, message: error.message }));
}
