#!/usr/bin/env node
// `pnpm report FILE [--html OUT] [--summary-md OUT] [--junit OUT]`: show a run report, bench or find-max result again,
// in the terminal or as HTML; a run report's Markdown summary and JUnit XML too.
import { EXIT_CODES } from './config/exit-codes.js';
import { parseReportArgs } from './report-command/options.js';
import { runReportCommand } from './report-command/run-report-command.js';

const parsed = parseReportArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(`${parsed.text}\n`);
  process.exit(EXIT_CODES.passed);
}
if (parsed.kind === 'error') {
  process.stderr.write(`evbridge report: ${parsed.message}\n`);
  process.exit(EXIT_CODES.runFailed);
}
process.exitCode = await runReportCommand(parsed.options, {
  out: process.stdout,
  err: process.stderr,
  color: process.stdout.isTTY === true,
});
