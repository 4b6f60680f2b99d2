#!/usr/bin/env node
// `pnpm compare BASE.json NEW.json`: two run reports or two bench results side by side, each change judged for
// significance; exit 1 when a --fail-on rule finds a significant regression, 2 when they cannot be compared.
import { runCompareCommand } from './compare-results/command.js';

const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
process.exitCode = await runCompareCommand(process.argv.slice(2), { out: process.stdout, err: process.stderr, color });
