/**
 * The sink server: keeps the latest token and writes it to every sink. A new token supersedes a
 * pending one (its writes and retries are dropped). A failed write is retried after a random 1–3 s
 * on the Clock, forever, as Vault does — a sink directory that comes back (a remounted tmpfs)
 * gets the token without restarting the agent.
 */
import type { Clock } from "../../clock/clock.ts";
import type { Logger } from "../../log/logger.ts";
import { componentLogger } from "../component-logger.ts";
import type { VaultApi } from "../types.ts";
import { type TokenSink, writeToSink } from "./sink.ts";

export interface SinkServerDeps {
  /** For sink wrap_ttl (sys/wrapping/wrap). */
  api: VaultApi;
  clock: Clock;
  /** The agent's root logger (lines appear as "agent.sink.server"). */
  logger: Logger;
  namespace?: string;
  random?: () => number;
}

export class SinkServer {
  private latest = "";
  private readonly stopper = new AbortController();
  private readonly log: Logger;
  private readonly random: () => number;

  constructor(
    private readonly sinks: TokenSink[],
    private readonly deps: SinkServerDeps,
  ) {
    this.log = componentLogger(deps.logger, "sink.server");
    this.random = deps.random ?? Math.random;
  }

  /**
   * Writes `token` to every sink. Resolves once all sinks hold it, or when it was superseded by a
   * newer token or the server stopped (check `latestWritten`).
   */
  async write(token: string): Promise<void> {
    if (this.stopper.signal.aborted) return;
    this.latest = token;
    await Promise.all(this.sinks.map((s) => this.writeOne(s, token)));
  }

  stop(): void {
    this.stopper.abort();
  }

  private current(token: string): boolean {
    return !this.stopper.signal.aborted && token === this.latest;
  }

  private async writeOne(sink: TokenSink, token: string): Promise<void> {
    const signal = this.stopper.signal;
    while (this.current(token)) {
      try {
        await writeToSink(sink, token, { api: this.deps.api, namespace: this.deps.namespace, signal });
        if (!this.current(token)) return; // a newer token's write owns the file now
        this.log.info("token written", "path", sink.name);
        return;
      } catch (e) {
        if (!this.current(token)) return;
        const wait = 1000 + Math.floor(2000 * this.random());
        this.log.error(
          "error returned by sink function, retrying",
          "error",
          (e as Error).message,
          "backoff",
          `${wait}ms`,
        );
        const slept = await this.deps.clock.sleep(wait, signal).then(
          () => true,
          () => false,
        );
        if (!slept) return;
      }
    }
  }
}
