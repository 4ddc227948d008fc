/**
 * A listen error as an operator can act on it: a port already in use names the setting that
 * moves it. Other errors pass through unchanged.
 */
export function explainListenError(
  err: unknown,
  setting: 'PROXY_PORT' | 'ADMIN_PORT',
  host: string,
  port: number,
): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'EADDRINUSE') return err;
  return new Error(
    `${host}:${port} is already in use (${setting}): stop what holds it (another scribe-proxy or a sandbox?), or set ${setting} to a free port`,
  );
}
