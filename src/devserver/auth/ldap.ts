/**
 * An LDAP-shaped auth method backed by an in-memory directory. The API is Vault's LDAP auth
 * (config, users/<name>, groups/<name>, login/<username>) with one addition: users/<name> takes
 * a `password`, because there is no directory server to bind against. As in Vault, token
 * parameters live on `config`, and a login gets the config's policies plus the user's and those
 * of every group the user belongs to.
 */
import { list, str } from "../engines/shared/fields.ts";
import {
  badRequest,
  dispatch,
  listResponse,
  noContent,
  notFound,
  type Route,
} from "../engines/shared/router.ts";
import type { Backend, BackendFactory, BackendRequest, CoreServices } from "../types.ts";
import { checkPassword, hashPassword, type StoredPassword } from "./shared/secrets.ts";
import {
  defaultTokenParams,
  issueLoginToken,
  parseTokenParams,
  renderTokenParams,
  type TokenParams,
} from "./shared/token-fields.ts";

interface LdapUser {
  password: StoredPassword | null;
  groups: string[];
  policies: string[];
}

/** Config fields stored and echoed back (never bindpass). */
const CONFIG_FIELDS = [
  "url",
  "userdn",
  "userattr",
  "upndomain",
  "groupdn",
  "groupfilter",
  "groupattr",
  "binddn",
  "certificate",
  "userfilter",
];

export class LdapBackend implements Backend {
  readonly type = "ldap";
  readonly unauthenticatedPaths = ["login", "login/*"];
  private users = new Map<string, LdapUser>();
  private groups = new Map<string, string[]>();
  private config: Record<string, unknown> = {};
  private token: TokenParams = defaultTokenParams();
  private routes: Route[];

  constructor(private core: CoreServices) {
    this.routes = [
      {
        pattern: /^config$/,
        read: () => ({ data: { ...this.config, ...renderTokenParams(this.token) } }),
        write: (r) => this.writeConfig(r),
      },
      { pattern: /^users$/, list: () => listResponse(this.users.keys()) },
      {
        pattern: /^users\/([^/]+)$/,
        read: (_r, [n]) => {
          const u = this.users.get(n.toLowerCase());
          return u ? { data: { groups: u.groups.join(","), policies: u.policies } } : notFound();
        },
        write: (r, [n]) => this.writeUser(r, n),
        delete: (_r, [n]) => {
          this.users.delete(n.toLowerCase());
          return noContent();
        },
      },
      { pattern: /^groups$/, list: () => listResponse(this.groups.keys()) },
      {
        pattern: /^groups\/([^/]+)$/,
        read: (_r, [n]) => {
          const g = this.groups.get(n.toLowerCase());
          return g ? { data: { policies: g } } : notFound();
        },
        write: (r, [n]) => {
          this.groups.set(
            n.toLowerCase(),
            list(r.body, "policies").map((p) => p.toLowerCase()),
          );
          return noContent();
        },
        delete: (_r, [n]) => {
          this.groups.delete(n.toLowerCase());
          return noContent();
        },
      },
      { pattern: /^login\/([^/]+)$/, write: (r, [n]) => this.login(r, n) },
    ];
  }

  handle(req: BackendRequest) {
    return dispatch(this.routes, req);
  }

  private writeConfig(req: BackendRequest) {
    for (const f of CONFIG_FIELDS) if (req.body[f] !== undefined) this.config[f] = str(req.body, f);
    this.token = parseTokenParams(req.body, this.token);
    return noContent();
  }

  private writeUser(req: BackendRequest, name: string) {
    const key = name.toLowerCase();
    const prev = this.users.get(key);
    const password = str(req.body, "password");
    this.users.set(key, {
      password: password ? hashPassword(password) : (prev?.password ?? null),
      groups: req.body.groups !== undefined ? list(req.body, "groups") : (prev?.groups ?? []),
      policies:
        req.body.policies !== undefined
          ? list(req.body, "policies").map((p) => p.toLowerCase())
          : (prev?.policies ?? []),
    });
    return noContent();
  }

  private login(req: BackendRequest, name: string) {
    const username = name.toLowerCase();
    const password = str(req.body, "password");
    if (password === "")
      throw badRequest("password cannot be of zero length when passwordless binds are being denied");
    const u = this.users.get(username);
    // What Vault reports when the directory refuses the bind — for unknown users too.
    if (!u?.password || !checkPassword(password, u.password)) {
      throw badRequest("ldap operation failed: failed to bind as user");
    }
    const extra = [...u.policies];
    for (const g of u.groups) extra.push(...(this.groups.get(g.toLowerCase()) ?? []));
    const auth = issueLoginToken(
      this.core,
      this.token,
      { extraPolicies: extra, meta: { username }, displayName: username, aliasName: username },
      req,
    );
    return { auth };
  }
}

export const ldapFactory: BackendFactory = (core) => new LdapBackend(core);
