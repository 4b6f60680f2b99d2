// The conformance kit's verdict as text: which properties hold, with the evidence for each.
import type { ConformanceResult } from './run-conformance.js';

export function renderConformance(result: ConformanceResult): string {
  const width = Math.max(...result.properties.map((p) => p.property.length));
  const lines = [
    `conformance: driver ${result.driver}, ${result.instances.length} instance processes (pids ${result.instances.map((i) => i.pid).join(', ')})`,
    `identity: ${result.identityScheme}; ids ${result.instances.map((i) => i.instanceId).join(', ')}`,
    ...result.properties.map((p) => `  ${p.holds ? 'holds' : 'FAILS'}  ${p.property.padEnd(width)}  ${p.detail}`),
    `${result.properties.filter((p) => p.holds).length} of ${result.properties.length} properties hold: ${result.passed ? 'conforms' : 'does not conform'}`,
  ];
  return `${lines.join('\n')}\n`;
}
