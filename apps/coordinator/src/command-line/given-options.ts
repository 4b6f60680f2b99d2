// The values of one parsed command line, read option by option: each validated, and refused in the option's words.
import type { Parsed } from '../config/parsed.js';
import { checkValue } from './option-reader.js';
import { findOption, type OptionSpec } from './option-table.js';

/** node:util parseArgs' values: a string or a flag per option, a list for a repeatable one. */
export type RawValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** How an error may quote a value the user gave (a Redis URL without its password). */
export type ShowGiven<Name extends string> = (name: Name, value: string) => string;

export class GivenOptions<Name extends string> {
  constructor(
    private readonly specs: readonly OptionSpec<Name>[],
    /** As node:util parseArgs returned them. */
    readonly raw: Readonly<RawValues>,
    private readonly show: ShowGiven<Name> = (_name, value) => value,
  ) {}

  /** True when the option was given at all: a flag, a value or a list. */
  has(name: Name): boolean {
    return this.raw[name] !== undefined;
  }

  /** True when the flag was given. */
  flag(name: Name): boolean {
    return this.raw[name] === true;
  }

  /** The validated value of a single-valued option, or undefined when it was not given; an OptionError when invalid. */
  take<T>(name: Name, validate: (value: string) => Parsed<T>): T | undefined {
    const given = this.raw[name];
    if (typeof given !== 'string') return undefined;
    return this.#check(name, given, validate);
  }

  /** The validated values of a repeatable option, in command-line order. */
  takeAll<T>(name: Name, validate: (value: string) => Parsed<T>): T[] {
    const given = this.raw[name];
    if (!Array.isArray(given)) return [];
    return given
      .filter((value): value is string => typeof value === 'string')
      .map((value) => this.#check(name, value, validate));
  }

  #check<T>(name: Name, given: string, validate: (value: string) => Parsed<T>): T {
    const accepts = findOption(this.specs, name)?.accepts ?? 'a valid value';
    return checkValue(name, given, validate, accepts, this.show(name, given));
  }
}
