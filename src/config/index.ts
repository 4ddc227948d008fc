/**
 * The configuration room: read once from the environment (and `.env`), every problem found in one
 * pass, one typed Config passed down. What the rest of the code imports lives here.
 */
export type { Config } from './Config.js';
export { ConfigError, dotEnvFile, environmentWithDotEnv, loadConfig } from './loadConfig.js';
export { checkEndpoint, endpointOverrides, isLoopback, sendsInClear } from './endpoints.js';
export { readSecretFile } from './ConfigReader.js';
export { configVariables, secretFileVariables } from './variables.js';
export type { TlsFileSettings } from './tlsFiles.js';
