/**
 * The secret scan over every log line the test suite captured: secrets the test peers issued or
 * the tests configured are registered here, every LogCapture registers its lines, and a root
 * hook (setup.ts) fails the run when any line holds one.
 */
export const knownSecrets = new Set<string>();
const captures: string[][] = [];

/** Anything shaped like a JWT (Cognito's id, access and refresh tokens are JWTs or JWEs). */
const jwtShape = /eyJ[\w-]{8,}\.[\w-]{8,}/;

/** A PEM private key (a TLS key file's header), whatever key it is. */
const privateKeyShape = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Register a secret to look for (short values are too likely to collide, and are skipped). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}

/** Register the lines of a log capture. */
export function registerLogLines(lines: string[]): void {
  captures.push(lines);
}

/**
 * Every captured line that holds a registered secret, a JWT or a PEM private key, and how many
 * lines were read.
 */
export function scanLogs(): { leaks: string[]; lines: number } {
  const leaks: string[] = [];
  let lines = 0;
  for (const capture of captures) {
    for (const line of capture) {
      lines++;
      if (
        jwtShape.test(line) ||
        privateKeyShape.test(line) ||
        [...knownSecrets].some((secret) => line.includes(secret))
      ) {
        leaks.push(line.slice(0, 300));
      }
    }
  }
  return { leaks, lines };
}
