import cliProgress from 'cli-progress';

/** A long task's progress as the command line shows it. */
export interface ProgressDisplay {
  /** `done` of `total` (bytes, patients...), and a short PHI-free status such as counts. */
  update(done: number, total: number, status: string): void;
  stop(): void;
}

/**
 * On a terminal, a progress bar on stderr; otherwise (a log file, a pipe, a scheduler) a plain line
 * each time another `everyPercent` of the work is done, so logs stay short and readable.
 */
export function showProgress(label: string, options: { stream?: NodeJS.WriteStream; everyPercent?: number } = {}): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} [{bar}] {percentage}% | {status}`, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, status) {
        if (!started) {
          bar.start(Math.max(total, 1), 0, { status });
          started = true;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { status });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  const step = options.everyPercent ?? 10;
  let nextPercent = step;
  return {
    update(done, total, status) {
      const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
      if (percent < nextPercent) return;
      stream.write(`${label}: ${percent}% | ${status}\n`);
      nextPercent = (Math.floor(percent / step) + 1) * step;
    },
    stop() {},
  };
}
