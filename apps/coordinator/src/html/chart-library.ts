// uPlot, the chart library, read from its npm package to be inlined in the page (a report opens with no network).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ChartLibrary {
  /** The IIFE build: defines the global uPlot. */
  script: string;
  css: string;
  version: string;
}

let cached: ChartLibrary | undefined;

/**
 * Resolved from this package (src under tests, dist when installed), so it works wherever the coordinator runs. The
 * build's first line, a comment with the project's web address, is replaced by a notice without one: the page holds
 * no external address at all.
 */
export function chartLibrary(): ChartLibrary {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const read = (file: string): string => {
    try {
      return readFileSync(require.resolve(`uplot/${file}`), 'utf8');
    } catch (error) {
      throw new Error(
        `cannot read uplot/${file} to inline the charts: run pnpm install (uplot is a dependency of @evbridge/coordinator)`,
        { cause: error },
      );
    }
  };
  const version = (JSON.parse(read('package.json')) as { version: string }).version;
  const script = read('dist/uPlot.iife.min.js').replace(
    /^\/\*![^*]*\*\/\n?/,
    `/*! uPlot v${version} (MIT License, Copyright (c) Leon Sorokin) */\n`,
  );
  cached = { script, css: read('dist/uPlot.min.css'), version };
  return cached;
}
