/**
 * Writes the golden cases (curated + seeded random) as the JSON document main.go reads:
 *   bun scripts/goldens/gotemplate/gen.ts > cases.json
 * See make-goldens.sh for the whole pipeline.
 */
import { curatedCases } from "./curated.ts";
import { DATASETS, SECRETS } from "./data.ts";
import { randomCases } from "./random.ts";

export interface Case {
  id: string;
  tpl: string;
  /** A key of DATASETS for `.`; absent means nil data, as Consul Template executes. */
  data?: string;
  missingkey?: "error";
  /** Left and right delimiters, when not {{ }}. */
  delims?: [string, string];
}

const SEED = 20240611;
const RANDOM_COUNT = 3000;

if (import.meta.main) {
  const cases = [...curatedCases(), ...randomCases(SEED, RANDOM_COUNT)];
  process.stdout.write(JSON.stringify({ datasets: DATASETS, secrets: SECRETS, cases }));
}
