/**
 * The program's output as the docs quote it: the fenced blocks of Markdown that look like
 * output, the marker that names how to produce each, and the rule that says whether a quote is
 * still what the program prints.
 */

/** A fenced block of a Markdown page. */
export interface FencedBlock {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** The block's text, without the fences and the list indentation. */
  text: string;
  /** Scenario names from `<!-- output: a; b -->` above the fence, else null. */
  scenarios: string[] | null;
}

const marker = /^\s*<!-- output: ([^>]+?) -->\s*$/;

/** Every fenced block of a page (a list item's indented ones too), with its output marker. */
export function fencedBlocks(page: string, markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const indent = (open[1] as string).length;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    if (end < 0) break;
    // The marker is the last line above the fence that is not blank (prettier puts one between).
    let above = i - 1;
    while (above > 0 && (lines[above] as string).trim() === '') above--;
    const named = marker.exec(lines[above] ?? '');
    blocks.push({
      page,
      line: i + 1,
      lang: open[2] as string,
      text: lines
        .slice(i + 1, end)
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n'),
      scenarios: named ? (named[1] as string).split(';').map((s) => s.trim()) : null,
    });
    i = end;
  }
  return blocks;
}

/**
 * Lines only the program writes: its messages (`scribe-proxy check: ...`), its start line, log
 * records, `check --online`'s steps, HTTP answers, help. A command that merely runs the program
 * (`scribe-proxy serve`, `curl ...`) does not look like this.
 */
const outputLine = [
  /^scribe-proxy(?: [a-z-]+)?: /,
  /^scribe-proxy \S*\d+\.\d+/,
  /^\{\s*"(?:level|time|event|msg|error|verified)"/,
  /^\s*"(?:level|event|msg)"\s*:/,
  /^[✓✗] /,
  /^HTTP\/[\d.]+ \d{3}/,
  /^The configuration is valid/,
  /^Usage: scribe-proxy/,
];

/** True when a block quotes what the program prints. */
export function looksLikeOutput(block: FencedBlock): boolean {
  return block.text.split('\n').some((l) => outputLine.some((p) => p.test(l)));
}

/** `<anything in angle brackets>` in a quote stands for what varies (a port, a time, a reason). */
const placeholder = /<[^<>\s][^<>]*>/g;

/** A quoted string as a pattern: literal but for its placeholders, which match any text. */
function quotePattern(quoted: string): RegExp {
  const parts = quoted.split(placeholder).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`);
}

/** True when `actual` has every field of `quoted`, equal (strings up to their placeholders). */
function hasFields(actual: unknown, quoted: unknown): boolean {
  if (typeof quoted === 'string')
    return typeof actual === 'string' && quotePattern(quoted).test(actual);
  if (quoted === null || typeof quoted !== 'object') return actual === quoted;
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(quoted) !== Array.isArray(actual)) return false;
  const a = actual as Record<string, unknown>;
  if (Array.isArray(quoted) && quoted.length !== (actual as unknown[]).length) return false;
  return Object.entries(quoted).every(([k, v]) => k in a && hasFields(a[k], v));
}

/**
 * Whether a quote is in the output. A `json` quote is one log record, some fields left out: a
 * line of the output must be a record with every quoted field, equal. Any other quote is an
 * excerpt: its lines must be consecutive lines of the output, equal up to the placeholders.
 */
export function quoteIsIn(block: FencedBlock, output: string): boolean {
  const actual = output.split('\n').map((l) => l.trimEnd());
  if (block.lang === 'json') {
    const quoted: unknown = JSON.parse(block.text);
    return actual.some((line) => {
      if (!line.startsWith('{')) return false;
      try {
        return hasFields(JSON.parse(line), quoted);
      } catch {
        return false;
      }
    });
  }
  const quoted = block.text
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => quotePattern(l.trimEnd()));
  return actual.some((_, start) => quoted.every((p, k) => p.test(actual[start + k] ?? '\u0000')));
}
