import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger, requestLine } from '../../src/observability/index.js';

/** A logger at `level` whose lines are collected. */
function capture(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the request log line', () => {
  it('is the JSON line pino writes for the same record, field for field and in order', async () => {
    const record = {
      requestId: 'req-1',
      method: 'GET',
      path: '/v1/tä"sk\\s\n\u2028',
      status: 200,
      upstreamStatus: undefined,
      latencyMs: 1.5,
      replayed: false,
      bytesIn: 0,
      user: 'ann@example.com',
      clockSkewS: Number.NaN,
    };
    const ours = capture('info');
    const pinos = capture('info');
    requestLine(ours.logger, 'request')(record);
    pinos.logger.info(record, 'request');
    await flush();
    const [line] = ours.lines;
    const [expected] = pinos.lines;
    const parsed = JSON.parse(line ?? '') as Record<string, unknown>;
    const wanted = JSON.parse(expected ?? '') as Record<string, unknown>;
    expect(Object.keys(parsed)).to.deep.equal(Object.keys(wanted));
    expect({ ...parsed, time: 'x' }).to.deep.equal({ ...wanted, time: 'x' });
    expect(parsed['path']).to.equal(record.path);
    expect(parsed['clockSkewS']).to.equal(null);
    expect(Date.parse(parsed['time'] as string)).to.be.closeTo(Date.now(), 5000);
  });

  it('writes every field of records with more field names than it remembers, as pino does', async () => {
    const record = Object.fromEntries(
      Array.from({ length: 100 }, (_, n) => [n % 2 ? `field"${n}` : `f${n}`, n]),
    );
    const ours = capture('info');
    const pinos = capture('info');
    const line = requestLine(ours.logger, 'request');
    line(record);
    line({ ...record, extra: true });
    pinos.logger.info(record, 'request');
    pinos.logger.info({ ...record, extra: true }, 'request');
    await flush();
    const withoutTime = (l: string | undefined) => ({
      ...(JSON.parse(l ?? '') as Record<string, unknown>),
      time: 'x',
    });
    expect(ours.lines.map(withoutTime)).to.deep.equal(pinos.lines.map(withoutTime));
    expect(ours.lines.map((l) => Object.keys(JSON.parse(l) as object))).to.deep.equal(
      pinos.lines.map((l) => Object.keys(JSON.parse(l) as object)),
    );
  });

  it('keeps every line of a busy turn, in order, and before a line pino writes after a flush', async () => {
    const { logger, lines } = capture('info');
    const line = requestLine(logger, 'request');
    for (let n = 0; n < 5; n++) line({ requestId: `req-${n}`, status: 200 });
    line.flush();
    logger.warn({ event: 'clock-skew' }, 'after');
    line({ requestId: 'req-5', status: 200 });
    await flush();
    const seen = lines.map((l) => {
      const parsed = JSON.parse(l) as { requestId?: string; msg: string };
      return parsed.requestId ?? parsed.msg;
    });
    expect(seen).to.deep.equal(['req-0', 'req-1', 'req-2', 'req-3', 'req-4', 'after', 'req-5']);
  });

  it('is not written when the level is above info', async () => {
    const { logger, lines } = capture('warn');
    requestLine(logger, 'request')({ requestId: 'req-2', status: 200 });
    await flush();
    expect(lines).to.deep.equal([]);
  });
});
