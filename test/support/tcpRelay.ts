import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How the relay treats a new connection. */
export type RelayMode = 'up' | 'refuse' | 'blackhole';

/**
 * A TCP relay in front of a real peer (Cognito's emulators), to break it on purpose: `up`
 * forwards, `refuse` resets each new connection at once, `blackhole` accepts and never answers.
 * Switching mode also cuts the connections already open, so kept-alive sockets see it too.
 */
export class TcpRelay {
  mode: RelayMode = 'up';
  /** Connections accepted, by the mode they met. */
  readonly accepted: Record<RelayMode, number> = { up: 0, refuse: 0, blackhole: 0 };
  url = '';
  #server: Server | undefined;
  readonly #open = new Set<Socket>();

  constructor(private readonly target: URL) {}

  async start(): Promise<this> {
    this.#server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Switch how connections are treated, cutting the open ones. */
  set(mode: RelayMode): void {
    this.mode = mode;
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }

  async stop(): Promise<void> {
    this.set('refuse');
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  #accept(client: Socket): void {
    this.accepted[this.mode]++;
    client.on('error', () => client.destroy());
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    this.#open.add(client);
    client.once('close', () => this.#open.delete(client));
    if (this.mode === 'blackhole') return;
    const peer = connect(Number(this.target.port), this.target.hostname);
    this.#open.add(peer);
    peer.once('close', () => {
      this.#open.delete(peer);
      client.destroy();
    });
    client.once('close', () => peer.destroy());
    peer.on('error', () => client.destroy());
    client.pipe(peer).pipe(client);
  }
}
