// A real OpenID provider for the sign-in tests: the certified `oidc-provider` package, run by node on
// the loopback interface, in one of two shapes:
//
//   oidc   - like Microsoft Entra ID: discovery, ID tokens with oid, preferred_username, email, name, roles.
//   hmpps  - like HMPPS Auth: endpoints under /auth (/oauth/authorize, /oauth/token,
//            /.well-known/jwks.json, /api/user/me, /sign-out), no ID token, and a JWT access token
//            carrying user_name, user_id, name, auth_source and authorities.
//
// Usage: node server.mjs CONFIG.json   (port, mode, client, redirect URIs and accounts; see tests/oidc_server.py)
// It prints "listening" once it accepts requests. Test-only controls, under /__test__/:
//   POST /__test__/rotate           sign with a new key from now on (both keys published)
//   POST /__test__/tamper?mode=M    the next token is re-signed: unknown-key, expired or wrong-audience
//   POST /__test__/accounts         replace an account's claims (JSON {id: claims}), e.g. to remove a role
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const base = `http://127.0.0.1:${config.port}`;
const hmpps = config.mode === 'hmpps';
const prefix = hmpps ? '/auth' : '';
const issuer = hmpps ? `${base}/auth/issuer` : base;
const accounts = config.accounts;

async function newKey(kid) {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

// Key ids are unique to each process, as a real provider's are to each key.
let keys = [await newKey(randomUUID())];
let tamper = null;

function publicKeys() {
  return { keys: keys.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use })) };
}

async function resign(token) {
  const claims = jose.decodeJwt(token);
  const header = jose.decodeProtectedHeader(token);
  let key = keys[0];
  const now = Math.floor(Date.now() / 1000);
  if (tamper === 'unknown-key') key = await newKey('not-published');
  if (tamper === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (tamper === 'wrong-audience') claims.aud = 'another-service';
  return new jose.SignJWT(claims)
    .setProtectedHeader({ ...header, alg: 'RS256', kid: key.kid })
    .sign(await jose.importJWK(key, 'RS256'));
}

function account(id) {
  const claims = accounts[id];
  return claims && { accountId: id, claims: async () => ({ sub: id, ...claims }) };
}

function makeProvider() {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: config.client_id,
        client_secret: config.client_secret,
        redirect_uris: config.redirect_uris,
        post_logout_redirect_uris: config.post_logout_redirect_uris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys },
    cookies: { keys: ['test-cookie-key-not-a-secret'] },
    findAccount: async (_ctx, id) => account(id),
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'oid', 'roles', 'groups'],
      email: ['email'],
    },
    // Entra ID puts the profile claims in the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: hmpps,
        defaultResource: () => config.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'read',
          audience: config.audience,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: async (_ctx, token) => {
      if (!hmpps || token.kind !== 'AccessToken') return undefined;
      const { user_name, user_id, name, auth_source, authorities } = accounts[token.accountId] || {};
      return { user_name, user_id, name, auth_source, authorities };
    },
    routes: hmpps
      ? {
          authorization: '/auth/oauth/authorize',
          token: '/auth/oauth/token',
          jwks: '/auth/.well-known/jwks.json',
          end_session: '/auth/session/end',
          userinfo: '/auth/userinfo',
        }
      : {},
  });
  provider.use(async (ctx, next) => {
    await next();
    if (tamper && ctx.oidc?.route === 'token' && ctx.status === 200) {
      const field = hmpps ? 'access_token' : 'id_token';
      ctx.body = { ...ctx.body, [field]: await resign(ctx.body[field]) };
      tamper = null;
    }
  });
  return provider;
}

let provider = makeProvider();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function readJson(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return data ? JSON.parse(data) : {};
}

async function userMe(req, res) {
  const bearer = (req.headers.authorization || '').replace(/^Bearer /, '');
  try {
    const { payload } = await jose.jwtVerify(bearer, jose.createLocalJWKSet(publicKeys()), { issuer });
    const claims = accounts[payload.sub] || {};
    send(res, 200, {
      username: claims.user_name,
      active: true,
      name: claims.name,
      authSource: claims.auth_source,
      userId: claims.user_id,
      uuid: claims.uuid,
    });
  } catch {
    send(res, 401, { error: 'invalid_token' });
  }
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, base);
  if (url.pathname === '/__test__/rotate' && req.method === 'POST') {
    keys = [await newKey(randomUUID()), ...keys];
    provider = makeProvider();
    return send(res, 200, publicKeys());
  }
  if (url.pathname === '/__test__/tamper' && req.method === 'POST') {
    tamper = url.searchParams.get('mode');
    return send(res, 200, { tamper });
  }
  if (url.pathname === '/__test__/accounts' && req.method === 'POST') {
    Object.assign(accounts, await readJson(req));
    return send(res, 200, {});
  }
  if (hmpps && url.pathname === `${prefix}/api/user/me`) return userMe(req, res);
  if (hmpps && url.pathname === `${prefix}/sign-out`) {
    // HMPPS Auth's sign-out takes client_id and redirect_uri; the OpenID one, post_logout_redirect_uri.
    const end = new URL(`${prefix}/session/end`, base);
    end.searchParams.set('client_id', url.searchParams.get('client_id') || '');
    end.searchParams.set('post_logout_redirect_uri', url.searchParams.get('redirect_uri') || '');
    return send(res, 302, undefined, { location: end.href });
  }
  return provider.callback()(req, res);
});

server.listen(config.port, '127.0.0.1', () => console.log('listening'));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
