// `pnpm harness --find-max`: run the search, print each step and the answer, write the JSON, return the exit code.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EXIT_CODES } from '../config/exit-codes.js';
import type { FindMaxSettings, HarnessOptions } from '../config/harness-options.js';
import type { HarnessDeps } from '../run/harness-io.js';
import { FIND_MAX_SCHEMA_VERSION, type FindMaxDocument } from './document.js';
import { FindMaxStopped, findMaxRate, type FindMaxResult } from './find-max.js';
import { formatAnswer, formatHeader, formatStepLine } from './render.js';

export interface FindMaxCommandIo extends HarnessDeps {
  /** Where the header, the step lines and the answer go (stdout). */
  out: NodeJS.WritableStream;
  /** Where a stop reason goes (stderr). */
  err: NodeJS.WritableStream;
}

/** 0: a rate held the SLO; 1: none did; 2: a step could not be run (or bad settings); 130/143: interrupted. */
export async function runFindMaxCommand(
  options: HarnessOptions,
  settings: FindMaxSettings,
  io: FindMaxCommandIo,
): Promise<number> {
  const { out, err, logger } = io;
  out.write(
    `${formatHeader({ ...settings, transport: options.driver, procs: options.procs, mode: options.mode, payloadBytes: options.payloadBytes, startRateEventsPerSec: options.rateEventsPerSec })}\n`,
  );
  let result: FindMaxResult;
  let outcome: FindMaxDocument['outcome'] = 'complete';
  let error: string | undefined;
  let exitCode: number;
  try {
    result = await findMaxRate(options, {
      logger,
      signal: io.signal,
      progressStream: io.progressStream,
      ...(io.workerEntry === undefined ? {} : { workerEntry: io.workerEntry }),
      ...(io.secrets === undefined ? {} : { secrets: io.secrets }),
      slo: settings.slo,
      stepDurationMs: settings.stepDurationMs,
      stepWarmupMs: settings.stepWarmupMs,
      maxSteps: settings.maxSteps,
      onStep: (step, index) => out.write(`${formatStepLine(step, index)}\n`),
    });
    exitCode = result.maxRateEventsPerSec === null ? EXIT_CODES.thresholdFailed : EXIT_CODES.passed;
  } catch (caught) {
    if (!(caught instanceof FindMaxStopped)) {
      err.write(`evbridge harness: ${caught instanceof Error ? caught.message : String(caught)}\n`);
      return EXIT_CODES.runFailed;
    }
    result = caught.result;
    outcome = caught.reason === 'interrupted' ? 'interrupted' : 'failed';
    error = caught.message;
    exitCode = caught.exitCode;
  }
  const answer = formatAnswer(result);
  out.write(
    `${outcome === 'complete' ? answer : `${answer.replace(/^max rate:/, 'best so far (search not finished):')}`}\n`,
  );
  if (error !== undefined) err.write(`evbridge harness: ${error}\n`);
  if (options.jsonPath !== undefined) {
    const document: FindMaxDocument = {
      schemaVersion: FIND_MAX_SCHEMA_VERSION,
      outcome,
      ...(error === undefined ? {} : { error }),
      ...result,
      settings: {
        startRateEventsPerSec: options.rateEventsPerSec,
        payloadBytes: options.payloadBytes,
        stepDurationMs: settings.stepDurationMs,
        stepWarmupMs: settings.stepWarmupMs,
        maxSteps: settings.maxSteps,
      },
    };
    try {
      await mkdir(dirname(options.jsonPath), { recursive: true });
      await writeFile(options.jsonPath, `${JSON.stringify(document, null, 2)}\n`);
      logger.info(`find-max result written to ${options.jsonPath}`);
    } catch (writeError) {
      const reason = writeError instanceof Error ? writeError.message : String(writeError);
      err.write(`evbridge harness: could not write ${options.jsonPath} (${reason}); check the --json path\n`);
      return EXIT_CODES.runFailed;
    }
  }
  return exitCode;
}
