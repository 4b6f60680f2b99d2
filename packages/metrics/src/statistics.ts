// Descriptive statistics and a least-squares line over plain numbers, on simple-statistics.
import { linearRegression, max, mean, median, min, rSquared, standardDeviation, sum } from 'simple-statistics';

/** Summary of a list of numbers, in the unit of the input. `stddev` is the population standard deviation. */
export interface NumberSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  stddev: number;
  sum: number;
}

/** y = slope * x + intercept, and the coefficient of determination of that line over the points. */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** 1 is a perfect fit. 1 as well when every y is equal and the line goes through them. */
  r2: number;
}

/** Summarizes finite numbers; an empty input gives count 0 and all zeros. */
export function summarize(values: readonly number[]): NumberSummary {
  if (values.length === 0) {
    return { count: 0, min: 0, max: 0, mean: 0, median: 0, stddev: 0, sum: 0 };
  }
  values.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`summarize() needs finite numbers, got ${String(value)} at index ${i}.`);
    }
  });
  const list = values as number[];
  return {
    count: values.length,
    min: min(list),
    max: max(list),
    mean: mean(list),
    median: median(list),
    stddev: standardDeviation(list),
    sum: sum(list),
  };
}

/** Least-squares line through at least two points with at least two distinct x values. */
export function linearFit(points: ReadonlyArray<readonly [number, number]>): LinearFit {
  if (points.length < 2) {
    throw new RangeError(`linearFit() needs at least 2 points, got ${points.length}.`);
  }
  points.forEach((point, i) => {
    if (
      !Array.isArray(point) ||
      point.length !== 2 ||
      !point.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new RangeError(
        `linearFit() needs [x, y] pairs of finite numbers, got ${JSON.stringify(point)} at index ${i}.`,
      );
    }
  });
  const first = points[0]?.[0];
  if (points.every(([x]) => x === first)) {
    throw new RangeError('linearFit() needs at least two distinct x values: a vertical line has no slope.');
  }
  const data = points as unknown as number[][];
  const { m: slope, b: intercept } = linearRegression(data);
  // rSquared divides by the spread of y, which is 0 when every y is equal: the fitted flat line is then exact.
  const firstY = points[0]?.[1];
  const r2 = points.every(([, y]) => y === firstY) ? 1 : rSquared(data, (x) => slope * x + intercept);
  return { slope, intercept, r2 };
}
