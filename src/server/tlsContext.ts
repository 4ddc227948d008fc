import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Server as TlsServer, TlsOptions } from 'node:tls';
import type { Logger, Metrics } from '../observability/index.js';
import {
  readTlsFiles,
  TlsFileError,
  type TlsFileSettings,
  type TlsMaterial,
} from '../config/tlsFiles.js';

export interface TlsContextOptions {
  /** Which listener this is, for logs and metrics. */
  listener: 'proxy' | 'admin';
  files: TlsFileSettings;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  logger: Logger;
  metrics: Metrics;
  /** Quiet time after the last change in a watched folder before the files are read (ms). */
  debounceMs?: number;
}

/** What set off a reload: a change in a watched folder, or SIGHUP. */
export type ReloadTrigger = 'watch' | 'SIGHUP';

const same = (a: Buffer | undefined, b: Buffer | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.equals(b));

/**
 * A listener's TLS context from files, kept current. It watches the FOLDERS holding the files,
 * not the files: an editor or `mv` renames a new file into place, and a Kubernetes secret volume
 * swaps its `..data` symlink; a watch on the old file would see neither. After a quiet moment it
 * reads the files again and, when they changed and make a good pair, gives every attached server
 * the new context (`setSecureContext`: new connections get it, open ones go on). A pair that does
 * not load keeps the current one serving and is logged as `tls_reload_failed`.
 */
export class TlsContext {
  private material: TlsMaterial;
  private readonly servers = new Set<TlsServer>();
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /** Reads the files now (throws TlsFileError naming the variable) and starts watching. */
  constructor(private readonly options: TlsContextOptions) {
    this.material = readTlsFiles(options.files);
    const { listener, metrics, files } = options;
    metrics.tlsLastReloadSuccessful.set({ listener }, 1);
    metrics.setTlsExpirySource(
      listener,
      () => (this.material.notAfter.getTime() - Date.now()) / 1000,
    );
    const folders = new Set(
      [files.certFile, files.keyFile, files.clientCaFile].flatMap((f) => (f ? [dirname(f)] : [])),
    );
    for (const folder of folders) {
      try {
        const watcher = watch(folder, { persistent: false }, () => this.changed());
        watcher.on('error', (err: NodeJS.ErrnoException) => this.watchFailed(folder, err));
        this.watchers.push(watcher);
      } catch (err) {
        this.watchFailed(folder, err as NodeJS.ErrnoException);
      }
    }
  }

  /** Options for `https.createServer`: the pair, the client CA (mutual TLS) and the version floor. */
  serverOptions(): TlsOptions {
    const { cert, key, ca } = this.material;
    const mutual = ca !== undefined;
    return {
      cert,
      key,
      ca,
      minVersion: this.options.minVersion,
      requestCert: mutual,
      rejectUnauthorized: mutual,
    };
  }

  /** Give `server` every later context. */
  attach(server: TlsServer): void {
    this.servers.add(server);
  }

  /** When the certificate served now expires. */
  get notAfter(): Date {
    return this.material.notAfter;
  }

  /**
   * Read the files and serve them when they make a good pair. A watch reload of unchanged files
   * does nothing; SIGHUP always reloads. Returns whether the served pair is the files' now.
   */
  reload(trigger: ReloadTrigger): boolean {
    const { listener, logger, metrics, files } = this.options;
    let next: TlsMaterial;
    try {
      next = readTlsFiles(files);
    } catch (err) {
      const reason = err instanceof TlsFileError ? err.message : 'the files could not be read';
      metrics.tlsReloads.inc({ listener, result: 'failure' });
      metrics.tlsLastReloadSuccessful.set({ listener }, 0);
      logger.error(
        { event: 'tls_reload_failed', listener, trigger, reason },
        `${listener} listener: the new TLS files were not loaded, the current certificate stays: ${reason}`,
      );
      return false;
    }
    const current = this.material;
    const unchanged =
      same(next.cert, current.cert) && same(next.key, current.key) && same(next.ca, current.ca);
    metrics.tlsLastReloadSuccessful.set({ listener }, 1);
    if (unchanged && trigger === 'watch') return true;
    for (const server of this.servers) {
      server.setSecureContext({
        cert: next.cert,
        key: next.key,
        ca: next.ca,
        minVersion: this.options.minVersion,
      });
    }
    this.material = next;
    metrics.tlsReloads.inc({ listener, result: 'success' });
    logger.info(
      {
        event: 'tls_reloaded',
        listener,
        trigger,
        fingerprint: next.fingerprint,
        notAfter: next.notAfter.toISOString(),
      },
      `${listener} listener: TLS certificate loaded (expires ${next.notAfter.toISOString()})`,
    );
    return true;
  }

  /** Stop watching. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }

  /** A change in a watched folder: read once things have been quiet for a moment. */
  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.closed) this.reload('watch');
    }, this.options.debounceMs ?? 500);
    this.timer.unref();
  }

  private watchFailed(folder: string, err: NodeJS.ErrnoException): void {
    this.options.logger.warn(
      { event: 'tls_watch_failed', listener: this.options.listener, folder, code: err.code },
      `${this.options.listener} listener: cannot watch ${folder} for new TLS files; SIGHUP still reloads them`,
    );
  }
}
