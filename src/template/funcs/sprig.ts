/** Sprig's functions live in ./sprig/; this module keeps the import path funcs/index.ts uses. */
export { ALL_SPRIG, SPRIG_UNSUPPORTED, sprigFuncs } from "./sprig/index.ts";
