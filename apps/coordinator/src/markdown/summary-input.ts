// What the Markdown summary reads of a run report: every schema it renders (2 and 3) has all of it.
import type { Report } from '../model/report.js';

/** A run report of schema 2 or 3 without the per-second series and the matrix, which the summary does not show. */
export type SummaryInput = Omit<Report, 'schemaVersion' | 'timeSeries' | 'matrix'>;
