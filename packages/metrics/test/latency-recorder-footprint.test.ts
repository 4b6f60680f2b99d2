// Loading LatencyRecorder stays light: no HdrHistogram log writer, no Intl formatter (ICU data costs ~5 MB of RSS).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RECORDER = fileURLToPath(new URL('../dist/latency-recorder.js', import.meta.url));

/** Loads the built recorder in a fresh Node process, records and encodes once, and reports what that loaded. */
const PROBE = `
let formatters = 0;
const NumberFormat = Intl.NumberFormat;
Intl.NumberFormat = function (...args) { formatters += 1; return new NumberFormat(...args); };
const { LatencyRecorder } = await import(process.argv[1]);
const recorder = new LatencyRecorder();
recorder.record(250);
const encoded = recorder.encode();
const { createRequire } = await import('node:module');
const loaded = Object.keys(createRequire(process.argv[1]).cache).map((path) => path.split('/').pop());
console.log(JSON.stringify({ formatters, loaded, decodedCount: LatencyRecorder.decode(encoded).count }));
`;

describe('LatencyRecorder footprint', () => {
  it('loads no HistogramLogWriter and builds no Intl.NumberFormat, yet encodes and decodes', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, RECORDER], { encoding: 'utf8' });
    const { formatters, loaded, decodedCount } = JSON.parse(out) as {
      formatters: number;
      loaded: string[];
      decodedCount: number;
    };
    expect(loaded).toContain('JsHistogram.js');
    expect(loaded).not.toContain('HistogramLogWriter.js');
    expect(formatters).toBe(0);
    expect(decodedCount).toBe(1);
  });
});
