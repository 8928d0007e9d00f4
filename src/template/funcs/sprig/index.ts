/**
 * The `sprig_*` functions Consul Template registers: every name in Sprig v3.3.0's
 * HermeticTxtFuncMap with a `sprig_` prefix, each with Sprig's Go signature, argument order
 * (`sprig_sub a b` is a−b) and forgiving conversions (spf13/cast turns bad input into 0).
 * Panics inside a Sprig function surface as text/template reports them: "error calling NAME: …".
 */
import type { FuncContext } from "../../api.ts";
import type { FuncMap } from "../../value.ts";
import { cryptoFuncs } from "./crypto.ts";
import { dateFuncs } from "./dates.ts";
import { dictFuncs } from "./dicts.ts";
import { encodingFuncs } from "./encoding.ts";
import { listFuncs } from "./lists.ts";
import { mathFuncs } from "./math.ts";
import { pathFuncs } from "./paths.ts";
import { defaultFuncs, reflectFuncs } from "./reflect.ts";
import { regexFuncs } from "./regex.ts";
import { semverFuncs } from "./semver.ts";
import { stringFuncs } from "./strings.ts";
import { urlFuncs } from "./url.ts";

/**
 * Every name in Sprig v3.3.0's HermeticTxtFuncMap (GenericFuncMap minus the non-hermetic date,
 * random, env and network functions). It includes push/mustPush, the aliases of
 * append/mustAppend, which the template spec's list of 192 names leaves out.
 */
export const ALL_SPRIG =
  "abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc b64dec b64enc base bcrypt biggest buildCustomCert camelcase cat ceil chunk clean coalesce compact concat contains decryptAES deepCopy deepEqual default derivePassword dict dig dir div divf duration durationRound empty encryptAES ext fail first float64 floor fromJson genCA genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey get has hasKey hasPrefix hasSuffix hello htpasswd indent initial initials int int64 isAbs join kebabcase keys kindIs kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustPush mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson mustToRawJson mustUniq mustWithout must_date_modify nindent nospace omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend push quote randInt regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver semverCompare seq set sha1sum sha256sum sha512sum shuffle slice snakecase sortAlpha split splitList splitn squote sub subf substr swapcase ternary title toDate toDecimal toJson toPrettyJson toRawJson toString toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq unixEpoch unset until untilStep untitle upper urlJoin urlParse values without wrap wrapWith".split(
    " ",
  );

function implemented(ctx: FuncContext): FuncMap {
  return {
    ...stringFuncs(),
    ...encodingFuncs(),
    ...listFuncs(),
    ...dictFuncs(),
    ...mathFuncs(),
    ...reflectFuncs(),
    ...defaultFuncs(),
    ...regexFuncs(),
    ...pathFuncs(),
    ...dateFuncs(ctx),
    ...semverFuncs(),
    ...urlFuncs(),
    ...cryptoFuncs(ctx),
  };
}

/** Sprig names vaultrun cannot provide (none: every hermetic Sprig function is implemented). */
export const SPRIG_UNSUPPORTED: string[] = [];

export function sprigFuncs(ctx: FuncContext): FuncMap {
  const impl = implemented(ctx);
  const out: FuncMap = {};
  for (const name of ALL_SPRIG) {
    const f = impl[name];
    if (!f) throw new Error(`sprig_${name} has no implementation`);
    out[`sprig_${name}`] = f;
  }
  return out;
}
