/** The CLI entry point, imported by bin/cairn.js once it has checked the Node version. */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv);
