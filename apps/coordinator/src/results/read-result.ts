// Reads a result file the harness or the bench wrote (a run report, a bench result, a find-max search) and says
// which it is; a file from another tool, a damaged one, or a schema this build cannot read is refused in one line.
import { readFile } from 'node:fs/promises';
import { BENCH_SCHEMA_VERSION, type BenchDocument } from '../bench/bench-document.js';
import { FIND_MAX_SCHEMA_VERSION, type FindMaxDocument } from '../find-max/document.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../model/report.js';

/** Run reports this build reads: 2 has no `timeSeries` or `matrix` (readers show what it has and say what it lacks). */
export const READABLE_REPORT_SCHEMAS = [2, REPORT_SCHEMA_VERSION] as const;

/** A report of schema 2: everything but the per-second series and the matrix. */
export type ReportV2 = Omit<Report, 'schemaVersion' | 'timeSeries' | 'matrix'> & { schemaVersion: 2 };

export type ResultFile =
  | { kind: 'run'; path: string; report: Report | ReportV2 }
  | { kind: 'bench'; path: string; bench: BenchDocument }
  | { kind: 'find-max'; path: string; findMax: FindMaxDocument };

/** A result file that cannot be read, with the one line that says why and what to do. */
export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
}

/** True for a report that carries the per-second series and the matrix (schema 3 and later). */
export function hasTimeSeries(report: Report | ReportV2): report is Report {
  return report.schemaVersion >= 3 && 'timeSeries' in report && report.timeSeries !== undefined;
}

/** Reads and classifies `path`; rejects with a ResultFileError naming the file, what is wrong and the fix. */
export async function readResultFile(path: string): Promise<ResultFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ResultFileError(
      code === 'ENOENT'
        ? `${path}: no such file (write one with pnpm harness --json FILE or pnpm bench --json FILE)`
        : `${path}: cannot be read (${(error as Error).message})`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ResultFileError(
      `${path}: not JSON (${(error as Error).message}); is it a report from pnpm harness --json?`,
      {
        cause: error,
      },
    );
  }
  return classify(path, json);
}

/** Which kind of result `json` is, by its shape; refuses one this build cannot read. */
export function classify(path: string, json: unknown): ResultFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ResultFileError(`${path}: not a harness or bench result (a JSON object with schemaVersion is expected)`);
  }
  const doc = json as Record<string, unknown>;
  const version = doc.schemaVersion;
  if ('totals' in doc && 'run' in doc && 'instances' in doc) {
    if (!READABLE_REPORT_SCHEMAS.includes(version as never)) {
      throw new ResultFileError(
        `${path}: a run report of schema ${String(version)}, which this build does not read (it reads ${READABLE_REPORT_SCHEMAS.join(' and ')}): re-run it with this checkout's pnpm harness --json FILE`,
      );
    }
    return { kind: 'run', path, report: json as Report | ReportV2 };
  }
  if ('mode' in doc && 'runs' in doc && 'machine' in doc) {
    if (version !== BENCH_SCHEMA_VERSION) {
      throw new ResultFileError(
        `${path}: a bench result of schema ${String(version)}, which this build does not read (it reads ${BENCH_SCHEMA_VERSION}): re-run it with this checkout's pnpm bench --json FILE`,
      );
    }
    return { kind: 'bench', path, bench: json as unknown as BenchDocument };
  }
  if ('steps' in doc && 'settings' in doc && 'outcome' in doc) {
    if (version !== FIND_MAX_SCHEMA_VERSION) {
      throw new ResultFileError(
        `${path}: a find-max result of schema ${String(version)}, which this build does not read (it reads ${FIND_MAX_SCHEMA_VERSION}): re-run it with this checkout's pnpm harness --find-max --json FILE`,
      );
    }
    return { kind: 'find-max', path, findMax: json as unknown as FindMaxDocument };
  }
  if (doc.kind === 'compare-modes') {
    throw new ResultFileError(
      `${path}: a --compare-modes result; pass one of its runs instead (write each with pnpm harness --mode=procs|threads --json FILE)`,
    );
  }
  throw new ResultFileError(`${path}: not a harness or bench result (no run report, bench or find-max fields)`);
}
