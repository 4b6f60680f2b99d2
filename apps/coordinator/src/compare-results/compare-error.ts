// Why two results cannot be compared (exit 2): one line naming what differs or what is wrong, and the fix.

export class CompareError extends Error {
  override readonly name = 'CompareError';
}
