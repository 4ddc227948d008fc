const loopbackHost = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Whether a `Host` header names the loopback interface (`localhost`, `127.x.y.z`, `[::1]`, any
 * port). On a loopback bind the console answers only these: a page whose own name was rebound to
 * 127.0.0.1 (DNS rebinding) sends its own name, and its posts look same-origin to the browser.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && loopbackHost.test(host);
}
