#!/usr/bin/env node
// `connector …` entry: runs the TypeScript CLI through tsx (the project has no build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
const argv = process.argv.slice(2);
const code = await runCli(argv);
if (code !== 0 || argv[0] !== 'serve') process.exit(code);
