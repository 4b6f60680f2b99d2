// Runs the built harness CLI as a real OS process and reads what it logged (JSON lines on stderr).
import { execaNode } from 'execa';
import { fileURLToPath } from 'node:url';

export const HARNESS_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface LogLine {
  msg?: string;
  level?: number;
  pid?: number;
  pids?: number[];
  [key: string]: unknown;
}

/**
 * What the harness would pick up from the test's own environment, unset unless a test sets it: REDIS_URL, and
 * GITHUB_STEP_SUMMARY (set while the tests run in GitHub Actions: every harness run would append to the job summary).
 */
export const HARNESS_ENV_UNSET = { REDIS_URL: undefined, GITHUB_STEP_SUMMARY: undefined };

export function startHarness(args: string[], env: Record<string, string | undefined> = {}) {
  return execaNode(HARNESS_MAIN, args, {
    reject: false,
    env: { ...HARNESS_ENV_UNSET, ...env },
    stdin: 'ignore',
    timeout: 120_000,
  });
}

export function parseLogLines(stderr: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // not a log line
    }
  }
  return lines;
}

/** True while a process with this pid exists (and is not a zombie we could still reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Collects a running harness's stderr and resolves once a log line matches (bounded poll). */
export function watchLog(run: ReturnType<typeof startHarness>) {
  let stderr = '';
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    get text(): string {
      return stderr;
    },
    lines: (): LogLine[] => parseLogLines(stderr),
    until(predicate: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const poll = setInterval(() => {
          const found = parseLogLines(stderr).find(predicate);
          if (found) {
            clearInterval(poll);
            resolve(found);
          } else if (Date.now() > deadline) {
            clearInterval(poll);
            reject(new Error(`no matching log line within ${timeoutMs} ms:\n${stderr}`));
          }
        }, 25);
      });
    },
  };
}

/** The progress line a run logs once it publishes (non-TTY). */
export const isProgressLine = (line: LogLine): boolean => /^\[(warmup|measure)/.test(String(line.msg));

export const BENCH_MAIN = fileURLToPath(new URL('../../dist/bench/main.js', import.meta.url));

/** Runs the built `pnpm bench` entry as a real OS process (log lines on stderr, the tables on stdout). */
export function startBench(args: string[], env: Record<string, string | undefined> = {}) {
  return execaNode(BENCH_MAIN, args, {
    reject: false,
    env: { ...HARNESS_ENV_UNSET, ...env },
    stdin: 'ignore',
    timeout: 120_000,
  });
}
