// undici's dispatchers by their own files. The package's index also loads fetch, WebSocket,
// EventSource, caches and mocks, which the proxy never uses: about 110 modules against 30, and
// their start-up time and memory in every `serve` (bench/optimisations.md). The version is
// pinned; these are the classes the index re-exports, typed as the index types them.
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolClass: typeof Pool;
  export default PoolClass;
}
declare module 'undici/lib/dispatcher/client.js' {
  import type { Client } from 'undici';
  const ClientClass: typeof Client;
  export default ClientClass;
}
declare module 'undici/lib/core/connect.js' {
  import type { buildConnector } from 'undici';
  const build: typeof buildConnector;
  export default build;
}
