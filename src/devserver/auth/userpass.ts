/**
 * The userpass auth method: users/<name> (password + token parameters), users/<name>/password,
 * users/<name>/policies, and login/<username>. Usernames are case-insensitive, as in Vault.
 */
import { str } from "../engines/shared/fields.ts";
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

interface User {
  password: StoredPassword;
  token: TokenParams;
}

export class UserpassBackend implements Backend {
  readonly type = "userpass";
  readonly unauthenticatedPaths = ["login", "login/*"];
  private users = new Map<string, User>();
  private routes: Route[];

  constructor(private core: CoreServices) {
    this.routes = [
      { pattern: /^users$/, list: () => listResponse(this.users.keys()) },
      {
        pattern: /^users\/([^/]+)$/,
        read: (_r, [n]) => this.readUser(n),
        write: (r, [n]) => this.writeUser(r, n),
        delete: (_r, [n]) => {
          this.users.delete(n.toLowerCase());
          return noContent();
        },
      },
      { pattern: /^users\/([^/]+)\/password$/, write: (r, [n]) => this.setPassword(r, n) },
      { pattern: /^users\/([^/]+)\/policies$/, write: (r, [n]) => this.setPolicies(r, n) },
      { pattern: /^login\/([^/]+)$/, write: (r, [n]) => this.login(r, n) },
    ];
  }

  handle(req: BackendRequest) {
    return dispatch(this.routes, req);
  }

  private readUser(name: string) {
    const u = this.users.get(name.toLowerCase());
    if (!u) return notFound();
    return { data: renderTokenParams(u.token) };
  }

  private writeUser(req: BackendRequest, name: string) {
    const key = name.toLowerCase();
    const existing = this.users.get(key);
    const password = str(req.body, "password");
    if (!existing && password === "") throw badRequest("missing password");
    const token = parseTokenParams(req.body, existing?.token ?? defaultTokenParams());
    this.users.set(key, { password: password ? hashPassword(password) : existing!.password, token });
    return noContent();
  }

  private setPassword(req: BackendRequest, name: string) {
    const u = this.users.get(name.toLowerCase());
    if (!u) throw badRequest("username does not exist");
    const password = str(req.body, "password");
    if (password === "") throw badRequest("missing password");
    u.password = hashPassword(password);
    return noContent();
  }

  private setPolicies(req: BackendRequest, name: string) {
    const u = this.users.get(name.toLowerCase());
    if (!u) throw badRequest("username does not exist");
    u.token = parseTokenParams(req.body, u.token);
    return noContent();
  }

  private login(req: BackendRequest, name: string) {
    const username = name.toLowerCase();
    const password = str(req.body, "password");
    if (password === "") throw badRequest("missing password");
    const u = this.users.get(username);
    // Same answer for an unknown user and a wrong password: no user enumeration.
    if (!u || !checkPassword(password, u.password)) throw badRequest("invalid username or password");
    const auth = issueLoginToken(
      this.core,
      u.token,
      { meta: { username }, displayName: username, aliasName: username },
      req,
    );
    return { auth };
  }
}

export const userpassFactory: BackendFactory = (core) => new UserpassBackend(core);
