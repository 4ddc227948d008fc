/**
 * Loaded by mocha before every spec (.mocharc.json). The pinned AWS SDK runs on Node 20; its
 * notice that releases from 2027 need Node 22 is noise in every test run (the CLI and the
 * container silence it the same way).
 */
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
