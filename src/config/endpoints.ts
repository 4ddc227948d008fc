import { isIP } from 'node:net';
import type { Config } from './index.js';
import type { ConfigReader } from './ConfigReader.js';

/**
 * The Cognito and identity endpoint overrides (the sandbox, tests, a private endpoint). They
 * receive the password: https, or plain http only to this machine.
 */
export function readEndpoints(
  read: ConfigReader,
): Pick<Config, 'cognitoEndpoint' | 'identityEndpoint'> {
  const endpoint = (name: 'SCRIBE_COGNITO_ENDPOINT' | 'SCRIBE_IDENTITY_ENDPOINT') => {
    const raw = read.text(name);
    if (raw === undefined) return undefined;
    const checked = checkEndpoint(name, raw);
    if (checked.problem) read.problem(checked.problem);
    return checked.url;
  };
  return {
    cognitoEndpoint: endpoint('SCRIBE_COGNITO_ENDPOINT'),
    identityEndpoint: endpoint('SCRIBE_IDENTITY_ENDPOINT'),
  };
}

/**
 * An endpoint override checked: an http(s) URL without query or credentials, https unless its
 * host is a loopback address (the sandbox, tests). The URL comes back without a trailing slash.
 */
export function checkEndpoint(name: string, raw: string): { url?: string; problem?: string } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { problem: `invalid setting: ${name} must be an https URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { problem: `invalid setting: ${name} must be an https URL` };
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    return { problem: `invalid setting: ${name} must be a URL without query or credentials` };
  }
  if (sendsInClear(parsed)) {
    return {
      problem: `invalid setting: ${name} must be https (plain http only to a loopback address: it receives passwords and tokens)`,
    };
  }
  return { url: parsed.toString().replace(/\/$/, '') };
}

/** The endpoint overrides in force, as `NAME=url` (said at start: a .env may have set them). */
export function endpointOverrides(
  config: Pick<Config, 'cognitoEndpoint' | 'identityEndpoint'>,
): string[] {
  return [
    ...(config.cognitoEndpoint ? [`SCRIBE_COGNITO_ENDPOINT=${config.cognitoEndpoint}`] : []),
    ...(config.identityEndpoint ? [`SCRIBE_IDENTITY_ENDPOINT=${config.identityEndpoint}`] : []),
  ];
}

/** True for a plain-http URL to a host beyond loopback: what it carries crosses a network in clear. */
export function sendsInClear(url: URL): boolean {
  return url.protocol === 'http:' && !isLoopback(url.hostname.replace(/^\[|\]$/g, ''));
}

/**
 * True when a host binds only the loopback interface: localhost, ::1, or an IPv4 address in
 * 127/8 (not a host name that merely starts with `127.`, which DNS may send anywhere).
 */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
