// @evbridge/driver/conformance: run the conformance kit against a driver (from a test or the harness's --conformance).
export {
  CONFORMANCE_PROPERTIES,
  runConformance,
  type ConformanceOptions,
  type ConformanceProperty,
  type ConformanceResult,
  type PropertyResult,
} from './run-conformance.js';
export { renderConformance } from './render.js';
