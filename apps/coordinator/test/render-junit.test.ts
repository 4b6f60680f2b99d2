// --junit: the verdict as JUnit XML that an XML parser reads back: one testcase per threshold and per fault, a failed
// threshold a failure carrying its actual value, counts on the suite that agree with the cases.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../src/render/junit.js';
import { faultReport, lossyReport, sampleReport } from './fixtures/sample-report.js';

const parse = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testcase',
  });
  return parser.parse(xml).testsuites;
};

describe('renderJunit', () => {
  it('one passing testcase per threshold of a clean run, with the run settings as properties', () => {
    const report = sampleReport();
    const suites = parse(renderJunit(report));
    const suite = suites.testsuite;
    expect(suite.tests).toBe(String(report.thresholds.length));
    expect(suite.failures).toBe('0');
    expect(suite.testcase.map((c: { name: string }) => c.name)).toEqual(report.thresholds.map((t) => t.expression));
    expect(suite.testcase.every((c: object) => !('failure' in c) && !('error' in c))).toBe(true);
    const properties = Object.fromEntries(
      suite.properties.property.map((p: { name: string; value: string }) => [p.name, p.value]),
    );
    expect(properties).toMatchObject({ driver: 'evbridge', procs: String(report.run.procs) });
  });

  it('a failed threshold is a failure naming its actual value in the metric unit', () => {
    const report = lossyReport();
    const failed = report.thresholds.filter((t) => !t.passed);
    expect(failed.length).toBeGreaterThan(0);
    const suite = parse(renderJunit(report)).testsuite;
    expect(suite.failures).toBe(String(failed.length));
    const delivery = suite.testcase.find((c: { name: string }) => c.name === 'delivery==100%');
    expect(delivery.failure.type).toBe('threshold');
    expect(delivery.failure.message).toMatch(/^delivery==100%: actual \d+(\.\d+)?%$/);
  });

  it('each fault is a testcase: recovered and allowed passes, never recovered fails, not injected is an error', () => {
    const report = faultReport();
    const [fault] = report.faults!;
    report.faults = [
      fault!,
      { ...fault!, recovered: false, recoveryMs: null },
      { ...fault!, status: 'failed', error: 'no control connection' },
      { ...fault!, status: 'not-reached' },
    ];
    const suite = parse(renderJunit(report)).testsuite;
    const faults = suite.testcase.filter((c: { classname: string }) => c.classname === 'evbridge.faults');
    expect(faults).toHaveLength(4);
    expect(faults[0]).not.toHaveProperty('failure');
    expect(faults[1].failure.message).toMatch(/never recovered before the run ended$/);
    expect(faults[2].error.message).toMatch(/could not be injected: no control connection$/);
    expect(faults[3]).toHaveProperty('skipped');
    expect(suite.errors).toBe('1');
    expect(suite.skipped).toBe('1');
  });
});
