// What the control channel refused, as every renderer lists it: the reasons that occurred, with their counts.
import type { ControlInfo, ControlRefusal } from '../model/report.js';

/** The refusal reasons with a count above 0, in the report's order. */
export function refusalsSeen(control: ControlInfo): Array<[ControlRefusal, number]> {
  return (Object.entries(control.refused) as Array<[ControlRefusal, number]>).filter(([, count]) => count > 0);
}
