import { configReference } from './reference.js';

/** Markdown as plain terminal text: links become their text, code spans lose their backticks. */
export const plainText = (markdown: string): string =>
  markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replaceAll('`', '');

/**
 * One configuration problem as a line: the variable, what is wrong, and an example of a right
 * value from the reference. Problems read `invalid setting: NAME ...` or `missing setting: NAME
 * ...`; any other (no login source, say) is shown as it is.
 */
export function describeConfigProblem(problem: string): string {
  const m = /^(invalid|missing) setting: ([A-Z][A-Z0-9_]*)\s*(.*)$/.exec(problem);
  if (!m) return problem;
  const [, kind, name, rest] = m as unknown as [string, string, string, string];
  // The problem strings continue the variable's name ("must be ...", "is in ...", "and X are
  // both set"), so the line reads as a sentence about it.
  const wrong =
    kind === 'missing'
      ? `is missing${rest ? ` ${rest.startsWith('(') ? rest : `(${rest})`}` : ''}`
      : rest || 'is invalid';
  // A problem found in a file names it after a colon ("NAME: the key does not match ...").
  if (kind === 'invalid' && rest.startsWith(':')) return `${name}${rest}`;
  // A problem may bring its own example (one the rest of the configuration implies).
  if (rest.includes('; for example ')) return `${name} ${wrong}`;
  const example = configReference.find((s) => s.name === name)?.example;
  return `${name} ${wrong}${example ? `; for example ${name}=${example}` : ''}`;
}

/** Every problem on its own line, under one heading. */
export function describeConfigProblems(problems: string[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return `invalid configuration (${count}):\n${problems.map((p) => `  ${describeConfigProblem(p)}`).join('\n')}`;
}

/** A default as plain text; one with its own note, `10485760` (10 MiB), reads 10485760, 10 MiB. */
export const plainDefault = (markdown: string): string =>
  plainText(markdown).replace(/ \(([^()]*)\)$/, ', $1');

/** The variables with what they mean and their defaults, for `serve --help`. */
export function configHelp(): string {
  const width = Math.max(...configReference.map((s) => s.name.length)) + 2;
  return configReference
    .map((s) => {
      const fallback = plainDefault(s.default);
      const suffix =
        fallback === 'none'
          ? ''
          : ` (${fallback === 'required' || fallback.startsWith('required') ? fallback : `default ${fallback}`})`;
      return `  ${s.name.padEnd(width)}${plainText(s.meaning)}${suffix}`;
    })
    .join('\n');
}
