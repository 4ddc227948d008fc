/**
 * What a container's environment would be, worked out from the files without a Docker engine:
 * the image's ENV (Dockerfile), then `--env-file` / compose `env_file`, then `-e` / compose
 * `environment`, each later one winning, as Docker and Compose apply them.
 */

/** The ENV of one stage of a Dockerfile (`FROM ... AS <stage>`), continuation lines joined. */
export function imageEnvironment(dockerfile: string, stage: string): Record<string, string> {
  const joined = dockerfile.replace(/\\\n\s*/g, ' ');
  const lines = joined.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^FROM \\S+ AS ${stage}\\s*$`, 'i').test(l));
  if (start < 0) throw new Error(`no stage ${stage}`);
  const env: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^FROM /i.test(line)) break;
    const m = /^ENV\s+(.*)$/i.exec(line);
    if (!m) continue;
    for (const pair of (m[1] as string).trim().split(/\s+/)) {
      const at = pair.indexOf('=');
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

/**
 * An env file as `docker run --env-file` reads it: `NAME=value` taken verbatim (no quotes
 * removed), `#` lines skipped, a bare `NAME` passed through from `hostEnv` when set there.
 */
export function envFile(text: string, hostEnv: NodeJS.ProcessEnv = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    if (at < 0) {
      const value = hostEnv[line.trim()];
      if (value !== undefined) env[line.trim()] = value;
      continue;
    }
    env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

/** The `-e NAME=value` flags and the container port published with `-p` in a docker run line. */
export function dockerRunFlags(line: string): { env: Record<string, string>; ports: number[] } {
  const env: Record<string, string> = {};
  for (const m of line.matchAll(/(?:^|\s)-e\s+([A-Z_][A-Z0-9_]*)=(\S*)/g)) {
    env[m[1] as string] = m[2] as string;
  }
  const ports = [...line.matchAll(/(?:^|\s)-p\s+(?:[\d.]+:)?\d+:(\d+)/g)].map((m) => Number(m[1]));
  return { env, ports };
}
