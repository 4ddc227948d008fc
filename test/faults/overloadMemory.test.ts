import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { call, rawJson, sendThenRead } from '../support/http.js';
import { startScriptedProxy, type ScriptedProxy } from '../support/scriptedCognitoProxy.js';

const MiB = 1024 * 1024;

/** A line of /proc/<pid>/status, in bytes (VmRSS: now; VmHWM: the peak). */
function memory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kib === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kib) * 1024;
}

describe('faults: twenty 50 MiB uploads at once (the real process, its memory measured)', function () {
  this.timeout(60_000);
  // Smaller than the default 256 MiB to stay fast; it bounds the process all the same.
  const budget = 128 * MiB;
  let proxy: ScriptedProxy;

  before(async function () {
    if (process.platform !== 'linux') this.skip();
    proxy = await startScriptedProxy({
      PROXY_MAX_BODY_BYTES: String(64 * MiB),
      PROXY_MAX_BUFFERED_BYTES: String(budget),
    });
    // The upstream answers with what it counted, and keeps nothing.
    proxy.upstream.respond = (arrival, res) => {
      proxy.upstream.arrivals.length = 0;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bodyBytes: arrival.body.length }));
      return true;
    };
  });
  after(async function () {
    await proxy?.stop();
  });

  it('keeps the process within its budget plus its idle size; every upload is answered 200 or 503 overloaded, none lost or cut', async function () {
    const pid = proxy.process.child.pid as number;
    // Warm: a session and one upload through every path.
    const warm = await call(proxy.proxyUrl, {
      method: 'POST',
      path: '/warm',
      body: Buffer.alloc(MiB),
    });
    expect(warm.status, proxy.process.output()).to.equal(200);
    const idle = memory(pid, 'VmRSS');
    // From here VmHWM is the peak of what follows (Linux: 5 resets it).
    writeFileSync(`/proc/${pid}/clear_refs`, '5');

    const body = Buffer.alloc(50 * MiB, 'u');
    const host = new URL(proxy.proxyUrl).host;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sendThenRead(
          proxy.proxyUrl,
          `POST /upload/${i} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          body,
          30_000,
        ).catch((err: Error) => `lost: ${err.message}`),
      ),
    );
    const peak = memory(pid, 'VmHWM');
    const outcomes = answers.map((text) => {
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1];
      // The upstream counted the whole body (its answer comes back chunked).
      if (status === '200') return text.includes(`"bodyBytes":${body.length}`) ? '200' : 'cut';
      if (status === '503') return `503 ${rawJson(text).error.code}`;
      return text.slice(0, 80) || 'nothing';
    });
    expect(
      outcomes.filter((o) => o !== '200' && o !== '503 overloaded'),
      outcomes.join('\n'),
    ).to.deep.equal([]);
    expect(outcomes).to.include('200');
    expect(outcomes).to.include('503 overloaded');
    // Beside the bodies held, the read buffers of the uploads being dropped live until V8
    // collects them, in batches: up to about 64 MiB on Node 20, and 76 MiB seen once on Node 26
    // in a full CI run. That much is transient, so 128 MiB is allowed for it. Without the
    // budget all twenty are taken: 1000 MiB of bodies at once, far past this bound.
    const transient = 128 * MiB;
    expect(peak, `peak ${peak / MiB} MiB, idle ${idle / MiB} MiB`).to.be.at.most(
      idle + budget + transient,
    );
  });
});
