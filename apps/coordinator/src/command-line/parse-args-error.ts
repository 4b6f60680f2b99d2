// Rewords node:util parseArgs errors as one line naming the option and the fix, for every CLI of the repo.

/** What the wording needs to know of an option. */
export interface DescribedOption {
  /** Undefined for a flag that takes no value. */
  valueName: string | undefined;
  accepts: string;
}

/**
 * Unknown option, missing value or stray positional: one line that names the option and the fix.
 * `program` names the command in the positional case ("the harness", "the bench").
 */
export function describeParseArgsError(
  error: unknown,
  program: string,
  findOption: (name: string) => DescribedOption | undefined,
): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}; run with --help to list the options`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)}: ${program} takes options only; run with --help to list them`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = /--([a-z-]+)/.exec(quoted)?.[1] ?? '';
      const spec = findOption(name);
      if (spec === undefined) return `${firstLine(message)}; run with --help to list the options`;
      if (spec.valueName === undefined) return `--${name} takes no value`;
      return `--${name} needs a value: ${spec.accepts}; write --${name} VALUE or --${name}=VALUE (use = for a value starting with "-")`;
    }
    default:
      return `could not read the arguments: ${firstLine(message)}; run with --help to list the options`;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
