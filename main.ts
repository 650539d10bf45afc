import { ConfigError, EXAMPLE_CONFIG_PATH } from './config/load';
import { PolicyViolationError } from './policy/pack';
import { synthesizeEstate } from './app';

/**
 * Entry point of `cdktf synth`: reads the estate configuration (DR_CONFIG, or the bundled example),
 * validates all of it before building anything, then synthesizes one stack per account role.
 */
try {
  synthesizeEstate(process.env.DR_CONFIG || EXAMPLE_CONFIG_PATH);
} catch (e) {
  if (!(e instanceof ConfigError) && !(e instanceof PolicyViolationError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
