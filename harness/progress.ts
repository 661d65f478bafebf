const PLAIN_EVERY_MS = 2000;

/**
 * Progress on stderr, so stdout stays clean for --json: a live line on a terminal, plain
 * timestamped lines in CI logs.
 */
export class Progress {
  private readonly live: boolean;
  private readonly t0 = performance.now();
  private lastWidth = 0;
  private lastPlain = -Infinity;

  constructor(
    private readonly quiet = false,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.live = Boolean(stream.isTTY) && !process.env.CI;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  private stamp(): string {
    return `${((performance.now() - this.t0) / 1000).toFixed(1).padStart(6)}s`;
  }

  /** A transient status line: overwritten on a terminal; in logs, at most one per PLAIN_EVERY_MS. */
  update(message: string): void {
    if (this.quiet) return;
    if (this.live) {
      const line = `${this.stamp()} ${message}`.slice(0, (this.stream.columns ?? 100) - 1);
      this.stream.write(`\r${line.padEnd(this.lastWidth)}`);
      this.lastWidth = line.length;
    } else if (performance.now() - this.lastPlain >= PLAIN_EVERY_MS) {
      this.lastPlain = performance.now();
      this.stream.write(`${this.stamp()} ${message}\n`);
    }
  }

  /** A line that stays. */
  log(message: string): void {
    if (this.quiet) return;
    if (this.live && this.lastWidth) {
      this.stream.write(`\r${' '.repeat(this.lastWidth)}\r`);
      this.lastWidth = 0;
    }
    this.stream.write(`${this.stamp()} ${message}\n`);
  }
}
