// The machine a bench ran on: CPU model and cores, memory, Node, OS and kernel, load (Redis comes from the reports).

import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  nodeVersion: string;
  /** "Debian GNU/Linux 12 (bookworm)" from /etc/os-release, else the OS type. */
  os: string;
  /** Kernel release, e.g. 6.1.0-18-amd64. */
  kernel: string;
  arch: string;
  hostname: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    nodeVersion: process.version,
    os: osPrettyName() ?? os.type(),
    kernel: os.release(),
    arch: os.arch(),
    hostname: os.hostname(),
  };
}

/** The 1, 5 and 15 minute load averages: compare with the cores to see whether something else was running. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return [one, five, fifteen];
}

function osPrettyName(): string | undefined {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
    return match?.[1];
  } catch {
    return undefined;
  }
}
