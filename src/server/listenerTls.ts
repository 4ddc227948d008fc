import { ConfigError, type Config, type TlsFileSettings } from '../config/index.js';
import type { Logger, Metrics } from '../observability/index.js';
import { TlsFileError } from '../config/tlsFiles.js';
import { TlsContext } from './tlsContext.js';

/** The TLS contexts of both listeners (undefined: plain HTTP), reloaded and closed together. */
export interface ListenerTls {
  proxy: TlsContext | undefined;
  admin: TlsContext | undefined;
  /** Read both listeners' files again (SIGHUP). */
  reload(): void;
  /** Stop watching. */
  close(): void;
}

/**
 * Load both listeners' TLS files. Files that went bad since the configuration checked them
 * throw ConfigError, as at the check.
 */
export function listenerTls(config: Config, logger: Logger, metrics: Metrics): ListenerTls {
  const contexts: TlsContext[] = [];
  const load = (listener: 'proxy' | 'admin', files: TlsFileSettings | undefined) => {
    if (!files) return undefined;
    try {
      const context = new TlsContext({
        listener,
        files,
        minVersion: config.tlsMinVersion,
        logger,
        metrics,
      });
      contexts.push(context);
      return context;
    } catch (err) {
      for (const context of contexts) context.close();
      if (err instanceof TlsFileError) throw new ConfigError([`invalid setting: ${err.message}`]);
      throw err;
    }
  };
  const proxy = load('proxy', config.proxyTls);
  const admin = load('admin', config.adminTls);
  return {
    proxy,
    admin,
    reload() {
      if (contexts.length === 0) {
        logger.info(
          { event: 'tls_reload_skipped' },
          'TLS reload asked, but no listener serves TLS',
        );
      }
      for (const context of contexts) context.reload('SIGHUP');
    },
    close() {
      for (const context of contexts) context.close();
    },
  };
}
