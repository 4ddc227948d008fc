import { parseQuery, signOutgoingRequest } from '../signing/index.js';
import { InvalidParameterError } from './errors.js';
import type { FederatedCredentials, RequestToSign } from './types.js';

/**
 * SigV4 headers (`authorization`, `x-amz-date`, `x-amz-security-token`, `host`) for a request
 * to Scribe's API Gateway (service `execute-api`, this instance's region). Send the request to
 * the same URL with these headers and the same body.
 */
export async function getSignatureForRequest(
  region: string,
  request: RequestToSign,
  credentials: FederatedCredentials,
): Promise<Record<string, string>> {
  const url = typeof request.url === 'string' ? parseUrl(request.url) : request.url;
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  let query: Record<string, string | string[]>;
  try {
    query = parseQuery(url.search.slice(1));
  } catch (err) {
    throw new InvalidParameterError(`cannot sign ${url.pathname}: ${(err as Error).message}`);
  }
  return signOutgoingRequest(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      body,
    },
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretKey,
      sessionToken: credentials.sessionToken,
    },
    { region: region, service: 'execute-api' },
  );
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new InvalidParameterError('the request URL must be absolute (https://host/path)');
  }
}
