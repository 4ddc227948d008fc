// `mocha dist/test/x.test.js` runs that file alone; plain `mocha` (npm test) runs the whole suite.
// (A spec list in the config is added to the files named on the command line, not replaced.)
const named = process.argv.slice(2).some((arg) => !arg.startsWith('-') && arg.endsWith('.test.js'));

module.exports = {
  require: ['dist/test/setup.js'],
  ...(named ? {} : { spec: ['dist/test/**/*.test.js'] }),
  timeout: 20000,
  exit: true,
  reporter: 'spec',
};
