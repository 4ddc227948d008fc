export { createConsole, type ConsoleOptions } from './createConsole.js';
