import { describe, expect, it } from 'vitest';
import { renderPairs, renderTable, visibleLength } from '../src/render/table.js';

describe('renderTable', () => {
  it('aligns columns, numbers right and text left', () => {
    const lines = renderTable(
      [{ header: 'name', align: 'left' }, { header: 'count' }],
      [
        ['alpha', '1'],
        ['b', '1,234'],
      ],
    );
    expect(lines).toEqual(['  name   count', '  alpha      1', '  b      1,234']);
  });

  it('supports no header, a custom indent and gap, and missing cells', () => {
    const lines = renderTable([{ header: 'a' }, { header: 'b', align: 'left' }], [['1'], ['22', 'x']], {
      header: false,
      indent: '',
      gap: 1,
    });
    expect(lines).toEqual([' 1', '22 x']);
  });

  it('ignores colour codes when measuring widths', () => {
    const red = '\x1b[31mFAIL\x1b[0m';
    expect(visibleLength(red)).toBe(4);
    const lines = renderTable(
      [{ header: 'x', align: 'left' }, { header: 'y' }],
      [
        [red, '1'],
        ['PASS', '10'],
      ],
      { header: false },
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
    expect(lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual(['  FAIL   1', '  PASS  10']);
  });
});

describe('renderPairs', () => {
  it('aligns values after their labels', () => {
    expect(
      renderPairs([
        ['published', '10'],
        ['lost', '0'],
      ]),
    ).toEqual(['  published  10', '  lost       0']);
  });
});
