#!/usr/bin/env node
import { run } from './run.js';

// The binary is a thin shell around run(): everything else is testable in-process.
process.exitCode = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
});
