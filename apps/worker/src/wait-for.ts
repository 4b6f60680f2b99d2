// Bounded poll for a condition: the only way tests and phases wait, never a bare sleep.

export interface WaitForOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Names what was awaited in the timeout error. */
  description?: string;
}

/** Resolves once `condition()` is true; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, options: WaitForOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 10;
  while (!condition()) {
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description ?? 'a condition'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
