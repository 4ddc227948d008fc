/**
 * The console's two static files, served by the proxy itself (a sidecar may have no internet, and
 * the CSP allows only 'self'). The script only enhances: every page works without it.
 */
export const consoleCss = `
:root { --ink: #1d2430; --muted: #5b6676; --line: #d9dee6; --bg: #f5f7fa; --card: #fff;
  --accent: #1f5fbf; --ok: #1b7a43; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 2; }
header.top { background: #14213d; color: #fff; }
header.top .bar { max-width: 980px; margin: 0 auto; padding: 10px 20px; display: flex;
  align-items: center; gap: 20px; flex-wrap: wrap; }
header.top .brand { font-weight: 700; letter-spacing: .02em; margin-right: 8px; }
header.top nav ul { list-style: none; display: flex; gap: 4px; margin: 0; padding: 0; flex-wrap: wrap; }
header.top nav a { color: #dfe7f5; text-decoration: none; padding: 6px 10px; border-radius: 6px; display: block; }
header.top nav a:hover, header.top nav a:focus { background: #22345c; color: #fff; }
header.top nav a[aria-current="page"] { background: #fff; color: #14213d; }
header.top form { margin-left: auto; }
header.top button { background: transparent; color: #fff; border: 1px solid #8ea3c7; }
main { max-width: 980px; margin: 0 auto; padding: 20px; }
h1 { font-size: 1.5rem; margin: 8px 0 16px; }
h2 { font-size: 1.1rem; margin: 0 0 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px;
  margin-bottom: 18px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 18px; }
.state { display: flex; align-items: center; gap: 14px; }
.badge { display: inline-block; padding: 3px 12px; border-radius: 999px; font-weight: 700;
  font-size: .95rem; border: 1px solid currentColor; }
.badge.ready { color: var(--ok); background: #e7f5ec; }
.badge.degraded, .badge.starting { color: var(--warn); background: #fdf3de; }
.badge.bad { color: var(--bad); background: #fbe9e7; }
.next { margin: 10px 0 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
.flash { padding: 10px 14px; border-radius: 8px; margin-bottom: 16px; border: 1px solid; }
.flash.ok { background: #e7f5ec; border-color: #9dd0b0; color: #14532d; }
.flash.error { background: #fbe9e7; border-color: #e8a59f; color: #7f1d1d; }
form.stack { display: grid; gap: 12px; max-width: 420px; }
label { font-weight: 600; display: block; margin-bottom: 4px; }
input[type=text], input[type=password], input[type=search] { width: 100%; padding: 8px 10px;
  border: 1px solid #98a2b3; border-radius: 6px; font: inherit; background: #fff; color: var(--ink); }
input:focus, button:focus, a:focus { outline: 3px solid #7aa7f0; outline-offset: 2px; }
button { font: inherit; padding: 8px 16px; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; }
button.danger { background: var(--bad); border-color: var(--bad); }
button.plain { background: #fff; color: var(--accent); }
.row { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: .9rem; }
figure { margin: 12px 0 0; }
.row label { margin: 0; }
.row input[type=search] { width: auto; flex: 1 1 220px; max-width: 360px; }
td:first-child { white-space: nowrap; font-weight: 600; }
caption { text-align: left; padding: 8px 0; }
.chart { width: 100%; height: auto; max-width: 900px; }
.chart .axis { stroke: #98a2b3; stroke-width: 1; }
.chart .grid { stroke: #e4e8ee; stroke-width: 1; }
.chart .ok { fill: #4c7fd6; }
.chart .err { fill: #d0453c; }
.chart text { fill: #5b6676; font-size: 11px; }
.legend { display: flex; gap: 16px; margin: 6px 0 0; padding: 0; list-style: none; color: var(--muted); }
.legend .sw { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
.legend .sw.ok { background: #4c7fd6; } .legend .sw.err { background: #d0453c; }
.qr { width: 220px; height: 220px; border: 1px solid var(--line); border-radius: 8px; }
.secret { font-size: 1.05rem; letter-spacing: .08em; word-break: break-all; }
.signin { max-width: 460px; margin: 40px auto; }
`;

/**
 * Counts expiries down each second and reloads the page when its data is due (with `auto=1`, so
 * the reload does not count as the operator's use of the session).
 */
export const consoleScript = `'use strict';
(function () {
  function words(ms) {
    var past = ms < 0, s = Math.round(Math.abs(ms) / 1000), text;
    if (s < 60) text = s + ' s';
    else if (s < 3600) text = Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    else text = Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return past ? text + ' ago' : 'in ' + text;
  }
  function tick() {
    var nodes = document.querySelectorAll('[data-countdown]');
    for (var i = 0; i < nodes.length; i++) {
      var at = Date.parse(nodes[i].getAttribute('data-countdown'));
      if (!isNaN(at)) nodes[i].textContent = words(at - Date.now());
    }
  }
  tick();
  setInterval(tick, 1000);
  var refresh = document.body.getAttribute('data-refresh-s');
  if (refresh) {
    setTimeout(function () {
      if (document.visibilityState !== 'visible') return;
      // Marked automatic: a reload is not the operator's use, so the idle limit still runs.
      var to = new URL(location.href);
      to.searchParams.set('auto', '1');
      location.replace(to.href);
    }, Number(refresh) * 1000);
  }
})();
`;

/**
 * The tab icon, so a browser's automatic /favicon.ico request (a 404 in every page's console) is
 * never made: a rounded square with a pen stroke, in the console's accent colour.
 */
export const consoleIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f5fbf"/><path d="M9 23l3-1 10-10-2-2-10 10z" fill="#fff"/></svg>`;
