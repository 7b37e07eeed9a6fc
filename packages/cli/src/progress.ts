/** Training progress: a redrawn bar with it/s and loss on a terminal, an occasional plain line otherwise. */
export class Progress {
  private readonly tty: boolean;
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastLineStep = -1;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly plainEvery = 1000,
    private readonly firstStep = 0,
  ) {
    this.tty = out.isTTY === true;
  }

  update(step: number, loss: number): void {
    const done = step + 1;
    const now = performance.now();
    const rate = (done - this.firstStep) / Math.max(1e-9, (now - this.started) / 1000);
    if (this.tty) {
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round((width * done) / this.total);
      const eta = (this.total - done) / Math.max(rate, 1e-9);
      this.out.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${rate.toFixed(0)} it/s loss ${loss.toFixed(4)} eta ${eta.toFixed(0)}s `,
      );
    } else if (
      done === this.total ||
      Math.floor(done / this.plainEvery) > Math.floor(this.lastLineStep / this.plainEvery)
    ) {
      this.lastLineStep = done;
      this.out.write(`step ${done}/${this.total} ${rate.toFixed(0)} it/s loss ${loss.toFixed(4)}\n`);
    }
  }

  /** Prints something (to any stream) without tearing the bar: the bar is cleared and redrawn on the next update. */
  aside(print: () => void): void {
    if (this.tty) {
      this.out.write('\r\x1b[2K');
      this.lastDraw = 0;
    }
    print();
  }

  finish(): void {
    if (this.tty) this.out.write('\n');
  }
}
