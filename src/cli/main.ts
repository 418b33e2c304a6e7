// The `mft` command line: the command table (src/cli/commands.ts) on commander. Every command
// returns an exit code: 0 done, 2 bad input, 1 failure; every failure is one line on stderr.
import { Command, CommanderError, type Option } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { COMMANDS, type CommandDefinition, type CommandInput } from "./commands.js";
import { reportError } from "./report-error.js";

/** Where a command line reads and writes: the process's streams, or a test's buffers. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  /** standard error is a terminal (progress bars redraw in place) */
  isTTY?: boolean;
}

/** The package version, printed by `mft --version`. */
export const VERSION: string = packageJson.version;

/**
 * Runs one command line (argv without node and script) and returns its exit code: 0 done, 2 bad
 * input (a ConfigError, an unknown command or flag, a missing operand), 1 a failed run or a failed
 * write. Every failure is one line on stderr, never a stack trace (MFT_DEBUG=1 adds the stack of an
 * unexpected error).
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => { code = c; });
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExitCode(err);
    return reportError(err, io);
  }
}

/** A help or version request is done (0); help shown for a missing command and every parse error is bad input (2). */
function commanderExitCode(err: CommanderError): number {
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
  if (err.code === "commander.help") return err.exitCode === 0 ? 0 : 2;
  return 2;
}

/** The program: one commander command per entry of COMMANDS, all writing through `io`. */
function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command("mft")
    .description("Mean-field transformer dynamics: particles on the sphere moved by attention (the USA-AV flow).")
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "print this help")
    .helpCommand("help [command]", "print the help of a command")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput(outputTo(io, "mft --help"))
    .addHelpText("after", "\nExit codes: 0 done, 2 bad input, 1 a failed run. Configuration and result formats: docs/cli.md.\nRun mft <command> --help for a command's flags and an example.");
  for (const def of COMMANDS) addCommand(program, def, io, setCode);
  return program;
}

/** Registers one command definition on the program. */
function addCommand(program: Command, def: CommandDefinition, io: CliIO, setCode: (code: number) => void): void {
  const cmd = program.command(def.name)
    .summary(def.summary)
    .description(def.description ?? def.summary)
    .helpOption("-h, --help", "print this help")
    .configureOutput(outputTo(io, `mft ${def.name} --help`));
  for (const [operand, what] of def.operands ?? []) cmd.argument(operand, what);
  for (const [flag, what] of def.flags ?? []) cmd.option(flag, what);
  cmd.addHelpText("after", `\nExample${def.examples.length > 1 ? "s" : ""}:\n${def.examples.map((e) => `  ${e}`).join("\n")}`);
  cmd.action(async () => setCode(await def.run(inputOf(cmd), io)));
}

/** The operands and flags commander parsed, keyed by the flags' long names ("checkpoint-every"). */
function inputOf(cmd: Command): CommandInput {
  const opts = cmd.opts();
  const flags = new Map<string, string>();
  const bools = new Set<string>();
  for (const o of cmd.options as readonly Option[]) {
    const value = opts[o.attributeName()];
    const name = (o.long ?? "").replace(/^--/, "");
    if (value === undefined) continue;
    if (o.isBoolean()) {
      if (value === true) bools.add(name);
    } else {
      flags.set(name, String(value));
    }
  }
  return { positional: [...cmd.args], flags, bools };
}

/** commander's output through `io`; its errors as one "mft: ..." line that names the help to read. */
function outputTo(io: CliIO, help: string) {
  return {
    writeOut: (text: string) => io.stdout(text),
    writeErr: (text: string) => io.stderr(text),
    outputError: (text: string, write: (text: string) => void) => {
      const line = text.trim().replace(/^error: /, "").replace(/\s*\n\s*\(Did you mean (.*)\?\)/, " (did you mean $1?)").replace(/\s*\n\s*/g, " ");
      write(`mft: ${line}; see ${help}\n`);
    },
  };
}
