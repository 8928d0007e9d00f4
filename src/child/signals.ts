/**
 * Signal forwarding (issue 6 item 3; Vault forwards nothing — spec §6.7). The agent installs
 * this once: SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH are passed to the child as they
 * come; SIGINT and SIGTERM are passed on as the child's stop signal (then SIGKILL after
 * kill_timeout), and once the child is gone `onShutdown` gets its exit code so the agent can
 * exit with it.
 */

export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  "SIGINT",
  "SIGTERM",
  "SIGHUP",
  "SIGQUIT",
  "SIGUSR1",
  "SIGUSR2",
  "SIGWINCH",
];

/** Where signals come from: `process`, or an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, fn: () => void): unknown;
  off(signal: NodeJS.Signals, fn: () => void): unknown;
}

export interface SignalTarget {
  signal(sig: NodeJS.Signals): void;
  stop(sig?: NodeJS.Signals): Promise<number | undefined>;
}

export interface ForwardOptions {
  source?: SignalSource;
  /** After INT/TERM: the child is gone; `code` is its exit code (undefined when none ran). */
  onShutdown?: (sig: NodeJS.Signals, code: number | undefined) => void;
}

/** Installs the handlers; returns a function that removes them. */
export function forwardSignals(target: SignalTarget, opts: ForwardOptions = {}): () => void {
  const source = opts.source ?? process;
  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  let shuttingDown = false;
  for (const sig of FORWARDED_SIGNALS) {
    const fn =
      sig === "SIGINT" || sig === "SIGTERM"
        ? () => {
            if (shuttingDown) {
              // A second INT/TERM while waiting: pass it on, the child may want it.
              target.signal(sig);
              return;
            }
            shuttingDown = true;
            void target.stop(sig).then((code) => opts.onShutdown?.(sig, code));
          }
        : () => target.signal(sig);
    source.on(sig, fn);
    handlers.push([sig, fn]);
  }
  return () => {
    for (const [sig, fn] of handlers) source.off(sig, fn);
  };
}
