// Command-line reading for the Node examples: a bad flag or value ends the
// program with one line saying which flag and what it expects, the usage text,
// and exit code 2 (no stack trace); --help prints the usage and exits 0.
import { parseArgs } from 'node:util';

/** A mistake on the command line; `message` names the flag and what it expects. */
export class UsageError extends Error {}

/** The arguments, without the `--` that `pnpm demo -- --url …` passes through. */
export function commandLineArgs() {
  const args = process.argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}

/**
 * Reads the command line: `read(args)` parses and checks it (throwing `UsageError`) and returns
 * the settings. Returns them, or `undefined` after --help (usage on stdout, exit code 0) or a mistake
 * (`program: message` and the usage on stderr, exit code 2); the caller then simply stops.
 *
 * @template T
 * @param {{ program: string, usage: string, read: (args: string[]) => T | 'help' }} options
 * @returns {T | undefined}
 */
export function readCommandLine({ program, usage, read }) {
  try {
    const settings = read(commandLineArgs());
    if (settings !== 'help') return settings;
    console.log(usage);
    process.exitCode = 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${program}: ${error.message}\n\n${usage}`);
    process.exitCode = 2;
  }
  return undefined;
}

/**
 * How a usage error names an argument that belongs to no flag: a short one as it is (`public`, a forgotten --stream),
 * a long one by its length only, since it is most often an access token pasted without --token, and the error goes to
 * a terminal, a CI log or a bug report.
 *
 * @param {string} argument
 */
export function describeStrayArgument(argument) {
  return argument.length <= 20 ? `unexpected argument "${argument}"` : `an unexpected argument of ${argument.length} characters (not shown: it may be a token)`;
}

/**
 * `parseArgs` for `options` (its format), strict in its own words: an unknown flag, a stray argument,
 * a value-taking flag without its value, or a value given to a switch is a `UsageError`.
 * A value may start with `-` (`--rate -1` gets to the number check, a token may begin with `-`),
 * but not with `--` (`--stream --url x` is a --stream without its value). Returns 'help' when
 * --help (or -h) is among the flags, else the values with the defaults filled in.
 *
 * @param {string[]} args
 * @param {Record<string, { type: 'string' | 'boolean', short?: string, default?: string | boolean }>} options
 * @returns {Record<string, string | boolean | undefined> | 'help'}
 */
export function parseFlags(args, options) {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const values = {};
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`${describeStrayArgument(token.value)} (every value follows its flag, as in --stream public)`);
    if (token.kind !== 'option') continue;
    const config = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (config === undefined) throw new UsageError(`unknown flag ${token.rawName}`);
    const flag = `--${token.name}`;
    if (config.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value; got "${token.value}"`);
      values[token.name] = true;
    } else if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`${flag} needs a value, as in ${flag} ${config.example ?? 'VALUE'}`);
    } else {
      values[token.name] = token.value;
    }
  }
  if (values.help === true) return 'help';
  for (const [name, config] of Object.entries(options)) {
    if (values[name] === undefined && config.default !== undefined) values[name] = config.default;
  }
  return values;
}

/**
 * A number flag's value: plain decimal digits (`10`, `2.5`), checked against `min`..`max`
 * (`above` instead of `min` excludes the bound). `expects` says what is wanted, for the error.
 *
 * @param {string} flag
 * @param {string} text
 * @param {{ min?: number, above?: number, max: number, expects: string }} range
 */
export function numberFlag(flag, text, { min, above, max, expects }) {
  const value = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  const inRange = (min === undefined || value >= min) && (above === undefined || value > above) && value <= max;
  if (!Number.isFinite(value) || !inRange) throw new UsageError(`${flag} expects ${expects}; got "${text}"`);
  return value;
}

/** An instance address as core's createClient takes it: an absolute http(s) URL (REST goes there too, so not ws(s)). */
export function urlFlag(flag, text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !['http:', 'https:'].includes(url.protocol)) {
    throw new UsageError(`${flag} expects the instance's address, such as https://mastodon.social; got "${text}"`);
  }
  return text;
}
