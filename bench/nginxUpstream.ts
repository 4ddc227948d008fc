/**
 * The benchmark's upstream as Debian's nginx with its echo module (`apt-get install -y nginx
 * libnginx-mod-http-echo`): cheaper per 64 KiB POST than any Node server, so that wrk and the
 * upstream together, on one CPU, serve at least 3× what the fastest proxy does (the run's
 * validity check). What it costs and why each setting is there: docs/performance.md.
 *
 * It answers what bench/fastUpstream.ts answers: `{"ok":true,"bytes":N}` (N: the request's
 * Content-Length, 0 without one) with a Content-Length, and `/v1/stream` as 5 chunks 400 ms
 * apart (time to first byte).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const nginxPaths = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'];
const echoModulePaths = [
  '/usr/lib/nginx/modules/ngx_http_echo_module.so',
  '/usr/lib64/nginx/modules/ngx_http_echo_module.so',
];

/** nginx and its echo module, where installed. */
export function findNginx(): { nginx: string; echoModule: string } | undefined {
  const nginx = nginxPaths.find((path) => existsSync(path));
  const echoModule = echoModulePaths.find((path) => existsSync(path));
  return nginx && echoModule ? { nginx, echoModule } : undefined;
}

/**
 * The configuration: one process (no master, so the pid the bench starts under taskset is the
 * one doing the work), no access log, keep-alive without a request limit (nginx's default closes
 * a connection after 1,000 requests).
 *
 * A body under 100,000 bytes is read whole first (echo_read_request_body), then answered from a
 * named location. nginx's own answer without reading (`return`) discards the body in 4 KiB reads,
 * 17 per 64 KiB request, each a syscall that can send a TCP window update back over loopback to
 * wrk: measured, 25 µs of the upstream's CPU per 64 KiB POST against 15 µs read whole (wrk's own
 * 17.8 against 14 µs). The header buffer large enough for the whole request (80k) makes that one
 * read of headers and body together: 13 µs. Requests without a body, chunked ones and bodies of
 * 100,000 bytes or more (the 10 MiB memory test, which would otherwise go to a temporary file)
 * take `return`.
 */
export function nginxConfig(options: { echoModule: string; port: number }): string {
  const answer = `'{"ok":true,"bytes":$bytes}'`;
  const chunks = [0, 1, 2, 3, 4].map((n) => `echo "chunk ${n}"; echo_flush;`);
  return `load_module ${options.echoModule};
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 65536;
pid nginx.pid;
error_log stderr warn;
events { worker_connections 16384; multi_accept on; }
http {
  access_log off;
  server_tokens off;
  keepalive_requests 1000000000;
  keepalive_timeout 600s;
  client_max_body_size 0;
  client_header_buffer_size 80k;
  client_body_buffer_size 128k;
  client_body_temp_path body;
  proxy_temp_path proxy;
  fastcgi_temp_path fastcgi;
  uwsgi_temp_path uwsgi;
  scgi_temp_path scgi;
  map $content_length $bytes { "" 0; default $content_length; }
  map $content_length $discard { "" 1; "~^[0-9]{6,}$" 1; default 0; }
  server {
    listen 127.0.0.1:${options.port} backlog=4096;
    default_type application/json;
    location / {
      if ($discard) { return 200 ${answer}; }
      echo_read_request_body;
      echo_exec @answer;
    }
    location @answer { return 200 ${answer}; }
    location /v1/stream {
      default_type text/plain;
      ${chunks.join(' echo_sleep 0.4; ')}
    }
  }
}
`;
}

/** A fresh prefix directory holding the configuration; nginx's temporary paths go beside it. */
export function writeNginxConfig(options: { echoModule: string; port: number }): string {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-nginx-'));
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(options));
  return dir;
}
