/** RFC 3986 escaping as SigV4 (and @smithy/util-uri-escape) does it. */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** True for a path that canonicalisation leaves as it is: unreserved characters and single slashes. */
function isPlain(path: string): boolean {
  if (path.length === 0 || path.charCodeAt(0) !== 47) return false;
  let previous = 47;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const unreserved =
      (c >= 97 && c <= 122) ||
      (c >= 65 && c <= 90) ||
      (c >= 48 && c <= 57) ||
      c === 45 ||
      c === 95 ||
      c === 126;
    if (c === 47) {
      if (previous === 47) return false; // '//' is collapsed
    } else if (c === 46) {
      // a '.' is fine inside a segment, not as (the start of) a '.' or '..' segment
      if (previous === 47) return false;
    } else if (!unreserved) {
      return false;
    }
    previous = c;
  }
  return true;
}

/**
 * The canonical path SigV4 signs for every service but S3: empty and `.` segments dropped, `..`
 * applied, then URI-escaped again (the wire path is already encoded, so `%` becomes `%25`), with
 * `/` kept. A plain path is its own canonical form, checked without building anything.
 */
export function canonicalPath(path: string): string {
  if (isPlain(path)) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = path.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`${leading}${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}
