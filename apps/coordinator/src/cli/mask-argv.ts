// A password on the command line is visible to every user of the host (ps, /proc/<pid>/cmdline): mask it in this
// process's title as soon as it is known. What ran before (the shell, pnpm) still saw it: REDIS_URL is the safe way.

/** Rewrites the process title (what /proc/<pid>/cmdline shows) with `scrub` applied; true when anything was masked. */
export function maskArgvSecrets(scrub: (text: string) => string, argv: readonly string[] = process.argv): boolean {
  const masked = argv.map(scrub);
  if (masked.every((arg, index) => arg === argv[index])) return false;
  process.title = masked.join(' ');
  return true;
}
