/**
 * The template engine: Go text/template as Consul Template runs it. See api.ts for the contract
 * with the runtime and value.ts for how Go values are represented.
 */
export * from "./api.ts";
export * from "./value.ts";
export { compile, CompiledGoTemplate, globMatch } from "./compile.ts";
export { formatFloat, formatValue, printAction, sprint, sprintf, sprintln } from "./fmt.ts";
export { compareUtf8, isTrue, kindOf, sortedKeys, typeName } from "./gotype.ts";
export { quoteGo, utf8Bytes, utf8Len } from "./quote.ts";
export { queryEscape } from "./builtins.ts";
