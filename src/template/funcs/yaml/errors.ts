/**
 * Errors as gopkg.in/yaml.v2 words them. Reader, scanner and parser problems carry libyaml's
 * marks; yaml.v2 turns them into "yaml: line N: problem" where N is the problem mark's 0-based
 * line (plus one for scanner errors only — an off-by-one yaml.v2 really has), falling back to the
 * context mark's line, and no "line" part at all when that is 0.
 */

export interface Mark {
  /** Characters consumed before this point (a CR LF pair counts 2). */
  index: number;
  line: number;
  column: number;
}

type Kind = "reader" | "scanner" | "parser" | "decoder";

export class YamlError extends Error {
  private constructor(
    readonly kind: Kind,
    message: string,
  ) {
    super(message);
  }

  static reader(problem: string): YamlError {
    return new YamlError("reader", `yaml: ${problem}`);
  }

  static scanner(contextMark: Mark, problem: string, problemMark: Mark): YamlError {
    return new YamlError("scanner", `yaml: ${where(problemMark, contextMark, true)}${problem}`);
  }

  static parser(problem: string, problemMark: Mark, contextMark?: Mark): YamlError {
    return new YamlError("parser", `yaml: ${where(problemMark, contextMark, false)}${problem}`);
  }

  /** yaml.v2's failf: "yaml: " + message. */
  static fail(message: string): YamlError {
    return new YamlError("decoder", `yaml: ${message}`);
  }
}

function where(problem: Mark, context: Mark | undefined, scanner: boolean): string {
  let line = 0;
  if (problem.line !== 0) line = scanner ? problem.line + 1 : problem.line;
  else if (context !== undefined && context.line !== 0) line = context.line;
  return line !== 0 ? `line ${line}: ` : "";
}
