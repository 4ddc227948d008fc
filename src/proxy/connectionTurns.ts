import type { Socket } from 'node:net';

/** Methods that may overlap on one connection (RFC 9110 safe methods). */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

interface Turns {
  /** The last unsafe request still running on this connection. */
  barrier: Promise<void> | undefined;
  /** Safe requests running since that barrier. */
  running: Set<Promise<void>>;
}

const byConnection = new WeakMap<Socket, Turns>();

/** A request's place in its connection's order: wait for it, release it when done. */
export interface Turn {
  /** Undefined when the request may start at once. */
  ready: Promise<unknown> | undefined;
  release: () => void;
}

/**
 * Keep a connection's pipelined requests in order whenever one is unsafe (RFC 9112 9.3.2):
 * safe requests may overlap each other, but an unsafe one starts only after everything before it
 * finished, and nothing after it starts before it finished.
 */
export function takeTurn(socket: Socket, method: string): Turn {
  let turns = byConnection.get(socket);
  if (!turns) {
    turns = { barrier: undefined, running: new Set() };
    byConnection.set(socket, turns);
  }
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const state = turns;
  let waitFor: Array<Promise<void>>;
  if (safeMethods.has(method)) {
    waitFor = state.barrier ? [state.barrier] : [];
    state.running.add(done);
    void done.then(() => state.running.delete(done));
  } else {
    waitFor = state.barrier ? [state.barrier, ...state.running] : [...state.running];
    state.barrier = done;
    state.running = new Set();
    void done.then(() => {
      if (state.barrier === done) state.barrier = undefined;
    });
  }
  return { ready: waitFor.length > 0 ? Promise.all(waitFor) : undefined, release };
}
