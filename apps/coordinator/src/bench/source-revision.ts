// Which code a bench measured: the git commit, and how many tracked files under apps/ and packages/ differ from it.

import { execFileSync } from 'node:child_process';

export interface SourceRevision {
  /** HEAD's commit hash; null outside a git checkout (or without git). */
  commit: string | null;
  /** Tracked files under apps/ and packages/ with uncommitted changes: the figures are of those changes too. */
  uncommittedFiles: number | null;
}

export function sourceRevision(repoRoot: string): SourceRevision {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5_000,
      }).trim();
    } catch {
      return null;
    }
  };
  const commit = git(['rev-parse', 'HEAD']);
  const status =
    commit === null ? null : git(['status', '--porcelain', '--untracked-files=no', '--', 'apps', 'packages']);
  return {
    commit,
    uncommittedFiles: status === null ? null : status.split('\n').filter((line) => line.trim() !== '').length,
  };
}

/** "commit 1a2b3c4d5e6f" or "commit 1a2b3c4d5e6f + 3 uncommitted files in apps/, packages/". */
export function describeRevision(revision: SourceRevision): string {
  if (revision.commit === null) return 'not a git checkout';
  const changed = revision.uncommittedFiles ?? 0;
  return `commit ${revision.commit.slice(0, 12)}${changed > 0 ? ` + ${changed} uncommitted file${changed === 1 ? '' : 's'} in apps/, packages/` : ''}`;
}
