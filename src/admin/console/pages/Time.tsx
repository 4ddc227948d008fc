/** "in 29 min 10 s" / "3 min ago", the same words the script keeps counting. */
export function relativeWords(atMs: number, nowMs: number): string {
  const ms = atMs - nowMs;
  const s = Math.round(Math.abs(ms) / 1000);
  const text =
    s < 60
      ? `${s} s`
      : s < 3600
        ? `${Math.floor(s / 60)} min ${s % 60} s`
        : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return ms < 0 ? `${text} ago` : `in ${text}`;
}

/** A moment shown as its clock time (UTC) and a countdown the script keeps current. */
export function When(props: { iso: string | undefined; now: number; none?: string }) {
  if (!props.iso) return <span class="muted">{props.none ?? 'none'}</span>;
  const at = Date.parse(props.iso);
  return (
    <span>
      <time dateTime={props.iso}>{props.iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>{' '}
      <span class="muted">
        (<span data-countdown={props.iso}>{relativeWords(at, props.now)}</span>)
      </span>
    </span>
  );
}
