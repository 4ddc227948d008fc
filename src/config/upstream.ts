import type { Config } from './index.js';
import type { ConfigReader } from './ConfigReader.js';
import { sendsInClear } from './endpoints.js';

/** An AWS region name, as the pool ids start with it. */
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The API, how calls to it are authorized, and the Cognito pools that log in to it. */
export function readUpstream(
  read: ConfigReader,
): Pick<
  Config,
  | 'apiUrl'
  | 'apiPlainHttpHost'
  | 'authMode'
  | 'region'
  | 'clientId'
  | 'userPoolId'
  | 'identityPoolId'
> {
  const apiUrl = read.url('SCRIBE_API_URL', 'https://mi.scribelabs.ai/v1');
  // Every request carries the session's tokens: https, plain http to this machine, or to the one
  // host an operator named (a mesh sidecar or egress gateway that adds TLS on the way out).
  const apiPlainHttpHost = read.text('SCRIBE_API_PLAIN_HTTP_HOST')?.toLowerCase();
  if (apiUrl && sendsInClear(apiUrl) && apiUrl.hostname !== apiPlainHttpHost) {
    read.problem(
      "invalid setting: SCRIBE_API_URL must be https (plain http only to a loopback address, or to the host SCRIBE_API_PLAIN_HTTP_HOST names: it carries the session's tokens)",
    );
  }
  const authMode = read.oneOf('SCRIBE_AUTH_MODE', ['sigv4', 'bearer'], 'sigv4');
  const region = read.text('SCRIBE_REGION') ?? 'eu-west-2';
  const clientId = read.required('SCRIBE_CLIENT_ID');
  const userPoolId = read.required('SCRIBE_USER_POOL_ID');
  const identityPoolId = read.text('SCRIBE_IDENTITY_POOL_ID');
  if (authMode === 'sigv4' && !identityPoolId) {
    read.problem('missing setting: SCRIBE_IDENTITY_POOL_ID (needed in sigv4 mode)');
  }
  checkRegion(read, region, userPoolId, identityPoolId);
  return {
    apiUrl: apiUrl ?? new URL('https://mi.scribelabs.ai/v1'),
    apiPlainHttpHost,
    authMode: authMode ?? 'sigv4',
    region,
    clientId,
    userPoolId,
    identityPoolId,
  };
}

/**
 * A pool id starts with its region (eu-west-2_abc, eu-west-2:uuid): a mismatch would only fail
 * later, at the first login, with a confusing error. The pool ids come from Scribe, so the
 * region is the setting to fix, and the problem is its alone, with the pools' region as example.
 */
function checkRegion(
  read: ConfigReader,
  region: string,
  userPoolId: string,
  identityPoolId: string | undefined,
): void {
  const pools = (
    [
      ['SCRIBE_USER_POOL_ID', userPoolId, '_'],
      ['SCRIBE_IDENTITY_POOL_ID', identityPoolId, ':'],
    ] as const
  )
    .map(([name, id, separator]) => ({
      name,
      region: id?.includes(separator) ? id.slice(0, id.indexOf(separator)) : '',
    }))
    .filter((pool) => regionPattern.test(pool.region));
  const example = pools[0] ? `; for example SCRIBE_REGION=${pools[0].region}` : '';
  if (!regionPattern.test(region)) {
    read.problem(`invalid setting: SCRIBE_REGION must look like eu-west-2${example}`);
    return;
  }
  const other = pools.find((pool) => pool.region !== region);
  if (other) {
    read.problem(
      `invalid setting: SCRIBE_REGION is ${region} but ${other.name} is in ${other.region}; for example SCRIBE_REGION=${other.region}`,
    );
  }
}
