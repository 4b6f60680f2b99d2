// @evbridge/driver: the API a Redis event bridge implements to be measured by the evbridge harness (version 1).
export {
  DRIVER_API_VERSION,
  type Driver,
  type DriverCapabilities,
  type DriverConnection,
  type DriverContext,
  type DriverCounters,
  type DriverDefinition,
  type DriverLogger,
  type DriverSink,
  type DriverState,
} from './driver.js';
export { DriverValidationError, assertDriver, defineDriver, definitionFromModule, driverProblems } from './validate.js';
export { checkDriverDefinition, driverModuleUrl, loadDriverModule } from './load.js';
