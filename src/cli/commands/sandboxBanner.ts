/** What the sandbox banner needs to know of a started sandbox. */
export interface StartedSandbox {
  service: { proxyUrl: string; adminUrl: string; session: unknown };
  users: Array<{ username: string; password: string }>;
  adminToken: string;
  resetCode: string;
  /** The throwaway CA every curl must trust, when the sandbox serves HTTPS. */
  caFile?: string;
  /** The settings the proxy runs with, which aim a CLI command or the library at the sandbox. */
  env: Record<string, string>;
}

/**
 * The lines the sandbox prints once it is ready: who can log in, and curl commands that work
 * as printed (URLs with a query are quoted, so zsh does not read `?` as a wildcard).
 */
export function sandboxBanner(
  sandbox: StartedSandbox,
  options: { seconds: number; mode: string; firstLogin: boolean },
): string {
  // Bound to every interface (in a container): print the URLs as the host reaches them, through
  // the published ports on its loopback.
  const reachable = (url: string) => url.replace(/\/\/(?:0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1');
  const wildcard = reachable(sandbox.service.proxyUrl) !== sandbox.service.proxyUrl;
  const proxyUrl = reachable(sandbox.service.proxyUrl);
  const adminUrl = reachable(sandbox.service.adminUrl);
  // With --tls every curl trusts the sandbox's throwaway CA, and nothing else changes.
  const curl = sandbox.caFile ? `curl --cacert ${sandbox.caFile}` : 'curl';
  const admin = `-H 'Authorization: Bearer ${sandbox.adminToken}'`;
  const perClient = sandbox.service.session === undefined;
  const lines = [`Sandbox ready in ${options.seconds.toFixed(1)} s.`];
  if (perClient) {
    lines.push('  users (each client sends its own login):');
    for (const u of sandbox.users) lines.push(`    ${u.username}  password ${u.password}`);
  } else {
    const [user] = sandbox.users;
    lines.push(`  user:        ${user?.username}`, `  password:    ${user?.password}`);
  }
  lines.push(
    `  admin token: ${sandbox.adminToken}`,
    `  console:     ${adminUrl}/ (sign in with the admin token)`,
    `  reset code:  ${sandbox.resetCode} (every confirmation code the sandbox's Cognito sends)`,
    '',
  );
  // The settings the proxy itself runs with, so the CLI and the library reach the same pools
  // through the same endpoints (the user pool's is the relay in front of cognito-local).
  const exported = `export ${Object.entries(sandbox.env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ')}`;
  const firstUser = sandbox.users[0]?.username;
  const command = options.mode === 'sigv4' ? 'credentials' : 'tokens';
  lines.push(
    // In a container the pools listen on its own loopback: the commands run inside it.
    wildcard
      ? "Aim the CLI or the library at it from inside this container (docker compose exec sandbox sh;\ndocs/sandbox.md): its pools listen on the container's loopback only."
      : 'Aim the CLI or the library at it (in another terminal, in this checkout; docs/sandbox.md):',
    `  ${exported}`,
    `  node dist/src/cli/main.js ${command} --username ${firstUser}    # asks for the password`,
    '',
  );
  if (options.firstLogin && !perClient) {
    lines.push(
      'The user has a temporary password, so the session waits for a new one. Set it in the console',
      '(First login), or through the admin API:',
      `  ${curl} ${admin} -H 'Content-Type: application/json' -d '{"newPassword":"Sandbox-New-Passw0rd!"}' ${adminUrl}/admin/password`,
      'or, as with a real account, log in once with the CLI (it asks for the password, then a new one)',
      'and start a proxy from the session file, with the settings above exported:',
      `  node dist/src/cli/main.js login --username ${firstUser} --session-file ./session.json`,
      // Port 0: free ports, chosen at start (the sandbox holds 8080 and 8081, and fixed others may be
      // taken); the start line names them.
      '  SCRIBE_SESSION_FILE=./session.json PROXY_PORT=0 ADMIN_PORT=0 node dist/src/cli/main.js serve    # free ports: its start line names them',
      '',
    );
  }
  lines.push('Try it:');
  if (perClient) {
    for (const u of sandbox.users) {
      lines.push(`  ${curl} -u '${u.username}:${u.password}' '${proxyUrl}/tasks?limit=10'`);
    }
    lines.push(`  ${curl} ${admin} ${adminUrl}/admin/sessions`);
  } else {
    lines.push(
      `  ${curl} '${proxyUrl}/tasks?limit=10'`,
      `  ${curl} -X POST -H 'Content-Type: application/json' -d '{"filename":"report.pdf"}' ${proxyUrl}/tasks`,
      `  ${curl} ${adminUrl}/readyz`,
      `  ${curl} ${admin} ${adminUrl}/admin/session`,
    );
  }
  if (wildcard) {
    lines.push(
      '',
      'The proxy listens on every interface of this container; its warning about that is for a real',
      "account. The sandbox's users are throwaway ones, gone when it stops.",
    );
  }
  lines.push(
    '',
    `The echo API answers {"verified":true,...} only for requests whose ${options.mode} authorization it checked.`,
    'Press Ctrl-C to stop everything.',
  );
  return `\n${lines.join('\n')}`;
}
