import { pino, type Logger } from 'pino';

// Strings that JSON must escape, or that may hold a lone surrogate: those go through
// JSON.stringify; everything else (ids, methods, codes, most paths) is copied between quotes.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const needsEscape = /["\\\u0000-\u001f\u007f-\uffff]/;

function jsonString(value: string): string {
  return needsEscape.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function jsonValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
      return undefined;
    default:
      return JSON.stringify(value);
  }
}

// `,"key":` for each field name seen, built once: a record's keys are the same few on every line
// (bounded, in case a caller's keys vary).
const keyPrefixes = new Map<string, string>();
const maxKeyPrefixes = 64;

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `,${jsonString(key)}:`;
    if (keyPrefixes.size < maxKeyPrefixes) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/**
 * One info line per request, written straight to the logger's destination: the same JSON as
 * pino's (level label, ISO time, the logger's bindings, the record's fields in order, `msg`),
 * without pino's general path (serializers, redaction, formatters), which cost several times
 * more per line than the proxy's own work on a small request. Only for records that hold no
 * secret by construction (the proxy's RequestRecord); nothing here redacts.
 *
 * The lines of one turn of the event loop go to the destination in one write at its end (under
 * load, many requests end in one turn; the service's stdout is written synchronously, one
 * system call per write). `flush` writes what is pending now, to keep order with a line
 * logged through pino right after.
 */
export function requestLine(
  logger: Logger,
  msg: string,
): ((record: object) => void) & { flush(): void } {
  const stream = (logger as unknown as Record<symbol, { write(line: string): void }>)[
    pino.symbols.streamSym
  ];
  const bindings = logger.bindings();
  let prefixTail = '';
  for (const key in bindings) {
    const value = jsonValue(bindings[key]);
    if (value !== undefined) prefixTail += `,${JSON.stringify(key)}:${value}`;
  }
  const end = `,"msg":${jsonString(msg)}}\n`;
  // The ISO time changes once a millisecond; under load many lines share it.
  let lastMs = -1;
  let lastTime = '';
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const lines = pending;
    pending = '';
    if (lines) stream?.write(lines);
  };
  const write = (record: object) => {
    if (!stream || !logger.isLevelEnabled('info')) return;
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastTime = new Date(now).toISOString();
    }
    let line = `{"level":"info","time":"${lastTime}"${prefixTail}`;
    const fields = record as Record<string, unknown>;
    for (const key in fields) {
      const value = jsonValue(fields[key]);
      if (value !== undefined) line += keyPrefix(key) + value;
    }
    pending += line + end;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return Object.assign(write, { flush });
}
