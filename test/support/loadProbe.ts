/**
 * Preloaded with `node --import` into a process under test: every module it loads from then on is
 * noted by loadProbeHooks.ts. In-thread hooks where Node has them (they also see a CommonJS
 * package's own require calls), off-thread ones on Node 20.
 */
import * as nodeModule from 'node:module';
import { load } from './loadProbeHooks.js';

const hooks = nodeModule as unknown as {
  registerHooks?: (hooks: { load: typeof load }) => unknown;
};
if (hooks.registerHooks) hooks.registerHooks({ load });
else nodeModule.register('./loadProbeHooks.js', import.meta.url);
