/**
 * JIT training: before the first template a process compiles, one small template puts the value
 * kinds nearly every template meets through the evaluator's hot paths, once.
 *
 * Why. Bun's JavaScriptCore optimises hot code for the types it has seen so far. The evaluator's
 * hot functions (printValue, printAction, evalCommand, evalEmptyInterface, sprintf) are optimised
 * by the first templates a process renders; a later template that gives them a kind they have
 * not seen (a missing value, an int literal, %d) makes the optimised code exit to the slow tier
 * at every such action until, after a hundred exits, it is thrown away and compiled again — on
 * the cores the render runs on. bench/template.ts's dense 1 MB template, rendered after the
 * 40-line one, exited 101 times in each of five such functions (BUN_JSC_printEachOSRExit=1), and
 * its first render took ~16 ms against ~6 ms once recompiled. Seen here first, these kinds are in
 * the type profiles before anything is optimised, and those exits are gone.
 *
 * Measured (bench/template.ts, alternating processes): dense 1 MB compile + render 46.7 → 33.1 ms
 * (30 each; other runs 49.1 → 38.9, 47.5 → 35.8, 42.8 → 39.3), no action repeated 79.5 → 70.7 ms.
 * The 40-line template's warm rate: 73,100 → 71,200 renders/s in one A/B of 30 each, 75,700 →
 * 75,900 in another of 24: within noise. The gain comes from the first three lines (alone: 34.4
 * ms, against 43.1 without training and 33.1 with all of it); the secret's lines cover Vault's own
 * kinds (json.Number, struct fields, a map ranged over), which the bench's 40-line warm-up
 * already shows the JIT, so the bench cannot measure them.
 * Cost: in the compiled binary, the first compile + render of a 16-line KV v2 template went from
 * 6.4 to 7.6 ms (medians of 15): most of what training runs, the first real template would have
 * run cold anyway. A larger training template (floats, %q, lists, toJSON) cost ~4.5 ms for no
 * further gain; training the parser too (a few KB of template), or rendering three times, gained
 * nothing. compile.ts skips training when the first template is itself large (see trainOnce).
 *
 * The template is the engine's own: no user data, no environment, no files. Training never
 * throws (compile.ts ignores a failure: the JIT merely learns less);
 * tests/template/core/train.test.ts checks what it renders, so a broken one is caught there.
 */
import { JsonNumber } from "../common/json.ts";
import { type Dependencies, NO_HOST, type TemplateHost } from "./api.ts";
import { Secret } from "./secret.ts";

/**
 * Missing values, ints, strings and bools printed, tested and formatted; a KV v2 secret read with
 * with/if/eq/range. Kept small: every path here costs its first run at startup.
 */
export const TRAINING_TEMPLATES: readonly string[] = [
  `{{ .missing }} {{ 1 }} {{ "s" }} {{ true }}
{{ if 1 }}a{{ end }}{{ if "" }}{{ else }}b{{ end }}{{ if .missing }}{{ end }}{{ if false }}{{ end }}
{{ printf "%d" 42 }} {{ printf "%s %v" "s" 7 }}
{{ with secret "kv/app" }}{{ .Data.data.user }} {{ .Data.data.port }} {{ if eq .Data.data.user "app" }}app{{ end }}
{{ range $k, $v := .Data.data }}{{ $k }}={{ $v }} {{ end }}{{ end }}`,
];

/** Compiles and renders the training templates; returns their outputs (for the test). */
export function train(
  compile: (text: string) => { execute(d: Dependencies, h: TemplateHost): { output: string } },
): string[] {
  // Built here, not at module load: most commands that load the engine never compile a template.
  const secret = Secret.fromVault({
    request_id: "",
    lease_id: "",
    lease_duration: 0,
    renewable: false,
    data: {
      data: { user: "app", port: new JsonNumber("5432"), enabled: true },
      metadata: { version: new JsonNumber("1") },
    },
    wrap_info: null,
    warnings: null,
    auth: null,
  });
  const deps: Dependencies = { secret: () => secret, secrets: () => undefined, pkiCert: () => undefined };
  const outputs: string[] = [];
  for (const text of TRAINING_TEMPLATES) {
    // Once is enough: rendering each three times measured no better (bench/template.ts, A/B).
    outputs.push(compile(text).execute(deps, NO_HOST).output);
  }
  return outputs;
}
