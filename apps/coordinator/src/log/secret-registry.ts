// The secrets of a run (Redis passwords), registered as soon as they are known, so that every log line and every
// printed text can be scrubbed of them.
import { redactSecrets } from '@evbridge/bridge';

export class SecretRegistry {
  #secrets: string[] = [];

  /** Registers non-empty secrets (duplicates ignored). */
  add(secrets: readonly string[]): void {
    for (const secret of secrets) {
      if (secret.length > 0 && !this.#secrets.includes(secret)) this.#secrets.push(secret);
    }
    // Longest first: a secret that contains another is masked whole.
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  get values(): readonly string[] {
    return this.#secrets;
  }

  /** `text` with every registered secret replaced by `***`. */
  scrub(text: string): string {
    return this.#secrets.length === 0 ? text : redactSecrets(text, this.#secrets);
  }
}
