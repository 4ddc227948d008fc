import { pipeline, Readable, Transform } from 'node:stream';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** Far above any answer Cognito sends (tokens with many groups are tens of kB). */
export const maxAnswerBytes = 1024 * 1024;

/**
 * Read at most `maxAnswerBytes` of every answer `client` gets: the SDK would read a body of any
 * size into memory (gigabytes within the deadline on a fast link). A larger one is cut, its
 * socket destroyed, and the call fails as an unreadable answer.
 */
export function boundAnswerBodies(
  client: CognitoIdentityProviderClient | CognitoIdentityClient,
): void {
  (client as CognitoIdentityClient).middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { body?: unknown };
      if (response.body instanceof Readable) {
        const limited = pipeline(response.body, limit(maxAnswerBytes), () => undefined);
        // The SDK reads and handles the body's errors; this keeps a body it never read (an
        // abort at the deadline) from crashing the process with an unhandled 'error'.
        limited.on('error', () => undefined);
        response.body = limited;
      }
      return result;
    },
    // Low in the deserialize step: closest to the HTTP handler, before the body is parsed.
    { step: 'deserialize', priority: 'low', name: 'scribeBoundedAnswer' },
  );
}

function limit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        const err = new Error(`Cognito's answer is too large (over ${maxBytes} bytes)`);
        err.name = 'AnswerTooLargeError';
        callback(err);
      } else {
        callback(null, chunk);
      }
    },
  });
}
