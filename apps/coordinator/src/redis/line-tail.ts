// Keep the last N lines of a child's output, for error messages.

export class LineTail {
  readonly #max: number;
  readonly #lines: string[] = [];
  #partial = '';

  constructor(max = 20) {
    this.#max = max;
  }

  push(chunk: Buffer | string): void {
    const parts = (this.#partial + chunk.toString()).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) this.#add(line);
  }

  lines(): string[] {
    return this.#partial.trim() === '' ? [...this.#lines] : [...this.#lines, this.#partial.trim()];
  }

  #add(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    this.#lines.push(trimmed);
    if (this.#lines.length > this.#max) this.#lines.shift();
  }
}
