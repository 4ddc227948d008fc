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
  /** The turn of a safe request that starts at once: the same for all of them. */
  safeTurn: Turn;
  /** An answer closed the connection: nothing after it is handled. */
  closing: boolean;
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

function begin(turns: Turns, unsafe: boolean): void {
  turns.running++;
  if (unsafe) turns.unsafeRunning = true;
}

function release(turns: Turns, unsafe: boolean): void {
  turns.running--;
  if (unsafe) turns.unsafeRunning = false;
  while (turns.waiting.length > 0) {
    const next = turns.waiting[0];
    if (!next || !mayStart(turns, next.unsafe)) break;
    turns.waiting.shift();
    next.start();
  }
}

/** The order of `socket`'s requests, made on its first request. */
function turnsOf(socket: Socket): Turns {
  let turns = byConnection.get(socket);
  if (!turns) {
    const made: Turns = {
      running: 0,
      unsafeRunning: false,
      waiting: [],
      closing: false,
      safeTurn: { ready: undefined, release: () => release(made, false) },
    };
    byConnection.set(socket, made);
    turns = made;
  }
  return turns;
}

/**
 * The connection closes after the answer being sent (a refusal that said `Connection: close`):
 * requests the client pipelined behind it are not handled, since their answers could never reach
 * it (running them would sign and send requests for nobody).
 */
export function closeTurns(socket: Socket): void {
  turnsOf(socket).closing = true;
}

/**
 * Keep a connection's pipelined requests in order whenever one is unsafe (RFC 9112 9.3.2):
 * safe requests may overlap each other, but an unsafe one starts only after everything before it
 * finished, and nothing after it starts before it finished. A safe request that need not wait
 * costs no allocation; one that waits costs a promise. Undefined when the connection is closing
 * (closeTurns): the request is not to be handled.
 */
export function takeTurn(socket: Socket, method: string): Turn | undefined {
  const state = turnsOf(socket);
  if (state.closing) return undefined;
  const unsafe = safeMethods[method] !== true;
  const done = unsafe ? () => release(state, true) : state.safeTurn.release;
  if (state.waiting.length === 0 && mayStart(state, unsafe)) {
    begin(state, unsafe);
    return unsafe ? { ready: undefined, release: done } : state.safeTurn;
  }
  const ready = new Promise<void>((resolve) => {
    state.waiting.push({
      unsafe,
      start: () => {
        begin(state, unsafe);
        resolve();
      },
    });
  });
  return { ready, release: done };
}
