import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A benchmark's server in its own process (so the load generator does not share its event loop),
 * spoken to by one JSON line per command on stdin and stdout. Lines that are not JSON, and stderr,
 * are kept (the first 20) for error messages.
 */
export class ChildServer {
  readonly stderrLines: string[] = [];
  stderrCount = 0;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting: { resolve(v: Record<string, unknown>): void; reject(e: Error): void }[] = [];
  readonly #exited: Promise<number | null>;

  /** `onNotice` sees messages that answer no command (progress lines); return true to consume one. */
  constructor(root: string, entry: string, args: string[], onNotice?: (message: Record<string, unknown>) => boolean) {
    // CHARTROOM_BENCH_PROFILE=DIR writes the server's CPU profile there (open it in Chrome's DevTools).
    const profile = process.env.CHARTROOM_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CHARTROOM_BENCH_PROFILE}`] : [];
    this.#child = spawn(process.execPath, [...profile, '--import', 'tsx', entry, ...args], { cwd: root, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line);
      } catch {
        this.#noteStderr(`(stdout) ${line}`);
        return;
      }
      if (!onNotice?.(message)) this.#waiting.shift()?.resolve(message);
    });
    createInterface({ input: this.#child.stderr }).on('line', (line) => this.#noteStderr(line));
    this.#child.once('exit', (code, signal) => {
      for (const w of this.#waiting.splice(0)) w.reject(new Error(`the server process exited (${signal ?? code}); stderr: ${this.stderrLines.slice(-5).join(' | ')}`));
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  #noteStderr(line: string): void {
    if (!line.trim()) return;
    this.stderrCount += 1;
    if (this.stderrLines.length < 20) this.stderrLines.push(line.length > 600 ? `${line.slice(0, 600)}...` : line);
  }

  /** The next JSON line, within `ms`. */
  protected next(ms: number, what: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(new Error(`the server process did not answer ${what} within ${ms / 1000} s; stderr: ${this.stderrLines.slice(-5).join(' | ')}`));
      }, ms);
      const waiter = {
        resolve: (v: Record<string, unknown>) => { clearTimeout(timer); v.error ? reject(new Error(`server process: ${v.error}`)) : resolve(v); },
        reject: (e: Error) => { clearTimeout(timer); reject(e); },
      };
      this.#waiting.push(waiter);
    });
  }

  async command(command: string, ms = 60_000): Promise<Record<string, unknown>> {
    const answer = this.next(ms, command);
    this.#child.stdin.write(`${command}\n`);
    return answer;
  }

  /** It no longer keeps the bench process alive (if that ends, the child cleans up on its own). */
  park(): void {
    this.#child.unref();
    for (const stream of [this.#child.stdin, this.#child.stdout, this.#child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  }

  unpark(): void {
    this.#child.ref();
    for (const stream of [this.#child.stdin, this.#child.stdout, this.#child.stderr]) (stream as unknown as { ref?: () => void }).ref?.();
  }

  /** Asks it to stop and clean up, without waiting: it finishes on its own after this process has ended. */
  detach(): void {
    this.park();
    if (this.alive) this.#child.stdin.end('stop\n');
  }

  /** Stops it (see stop) and logs the first of any warning or error lines it wrote to stderr; answers how many there were. */
  async stopAndReport(log: (line: string) => void): Promise<number> {
    await this.stop();
    if (this.stderrCount > 0) {
      log(`the server wrote ${this.stderrCount} warning/error line(s) to stderr; the first:`);
      for (const line of this.stderrLines.slice(0, 5)) log(`  ${line}`);
    }
    return this.stderrCount;
  }

  /** Asks it to stop and clean up; kills it (by its pid) if it does not exit within `ms`. */
  async stop(ms = 30_000): Promise<void> {
    this.unpark();
    if (!this.alive) return;
    const answer = this.next(ms, 'stop').catch(() => undefined);
    this.#child.stdin.end('stop\n');
    const exited = await Promise.race([this.#exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms).unref())]);
    await answer;
    if (!exited) {
      this.#child.kill('SIGTERM');
      const gone = await Promise.race([this.#exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000).unref())]);
      if (!gone) this.#child.kill('SIGKILL');
    }
  }
}
