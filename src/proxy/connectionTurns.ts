import type { Socket } from 'node:net';

/** Methods that may overlap on one connection (RFC 9110 safe methods). */
const safeMethods: Readonly<Record<string, true>> = {
  GET: true,
  HEAD: true,
  OPTIONS: true,
  TRACE: true,
};

interface Turns {
  /** Requests of this connection running now. */
  running: number;
  /** Whether one of them is unsafe (then it is the only one). */
  unsafeRunning: boolean;
  /** Requests waiting for their turn, in arrival order. */
  waiting: Array<{ unsafe: boolean; start: () => void }>;
}

const byConnection = new WeakMap<Socket, Turns>();

/** A request's place in its connection's order: wait for it, release it when done. */
export interface Turn {
  /** Undefined when the request may start at once. */
  ready: Promise<void> | undefined;
  release: () => void;
}

function mayStart(turns: Turns, unsafe: boolean): boolean {
  return unsafe ? turns.running === 0 : !turns.unsafeRunning;
}

/**
 * Keep a connection's pipelined requests in order whenever one is unsafe (RFC 9112 9.3.2):
 * safe requests may overlap each other, but an unsafe one starts only after everything before it
 * finished, and nothing after it starts before it finished. A request that need not wait costs
 * no promise.
 */
export function takeTurn(socket: Socket, method: string): Turn {
  let turns = byConnection.get(socket);
  if (!turns) {
    turns = { running: 0, unsafeRunning: false, waiting: [] };
    byConnection.set(socket, turns);
  }
  const state = turns;
  const unsafe = safeMethods[method] !== true;
  const begin = () => {
    state.running++;
    if (unsafe) state.unsafeRunning = true;
  };
  const release = () => {
    state.running--;
    if (unsafe) state.unsafeRunning = false;
    while (state.waiting.length > 0) {
      const next = state.waiting[0];
      if (!next || !mayStart(state, next.unsafe)) break;
      state.waiting.shift();
      next.start();
    }
  };
  if (state.waiting.length === 0 && mayStart(state, unsafe)) {
    begin();
    return { ready: undefined, release };
  }
  const ready = new Promise<void>((resolve) => {
    state.waiting.push({
      unsafe,
      start: () => {
        begin();
        resolve();
      },
    });
  });
  return { ready, release };
}
