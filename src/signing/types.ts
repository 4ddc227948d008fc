/** AWS credentials as the signer needs them. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** Where a signature is valid: the region and the service name (`execute-api` for API Gateway). */
export interface SigningScope {
  region: string;
  service: string;
}

/** A request in the shape the SigV4 signer reads. `path` is signed as given (see signHttpRequest). */
export interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  /** Decoded query keys and values. */
  query?: Record<string, string | string[]> | undefined;
  headers: Record<string, string>;
  body?: Uint8Array | string | undefined;
}
