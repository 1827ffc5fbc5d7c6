/**
 * The kamailio.cfg of the test registrar/proxy: UDP and TCP on one port, TLS
 * on another, registrations kept in memory (usrloc db_mode 0), digest
 * authentication (qop=auth) against users written into an htable at start —
 * no database — and record-routing so an INVITE to a registered user reaches
 * its contact and the in-dialog requests follow. Over TCP/TLS the contact is
 * replaced by the connection's source (fix_nated_register), so calls to a
 * UA that registered over TLS reuse its connection, as they would behind NAT.
 */

export interface KamailioUser {
  username: string;
  password: string;
}

export interface KamailioConfigOptions {
  port: number;
  tlsPort: number;
  /** Digest realm (and the domain users register in). */
  realm: string;
  users: readonly KamailioUser[];
  /** Challenge algorithm. `MD5` omits nothing; `SHA-256` is RFC 8760 (auth module `algorithm`). */
  algorithm: 'MD5' | 'SHA-256';
  /** Challenge INVITEs (and other out-of-dialog requests except REGISTER) with 407. */
  authenticateCalls: boolean;
  tlsConfigFile: string;
  ctlSocket: string;
  modulesDir: string;
}

export function kamailioConfig(o: KamailioConfigOptions): string {
  const users = o.users.map((user) => `  $sht(users=>${cfgToken(user.username)}) = "${cfgToken(user.password)}";`).join('\n');
  return `#!KAMAILIO
debug=2
log_stderror=yes
log_prefix="{$mt $hdr(CSeq) $ci} "
memdbg=5
memlog=5
children=2
tcp_children=2
auto_aliases=no
dns=no
rev_dns=no
use_dns_cache=no
enable_tls=yes
tcp_connection_lifetime=3605
listen=udp:127.0.0.1:${o.port}
listen=tcp:127.0.0.1:${o.port}
listen=tls:127.0.0.1:${o.tlsPort}

mpath="${o.modulesDir}"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "htable.so"
loadmodule "auth.so"
loadmodule "nathelper.so"
loadmodule "ctl.so"
loadmodule "tls.so"

modparam("ctl", "binrpc", "unix:${o.ctlSocket}")
modparam("tls", "config", "${o.tlsConfigFile}")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "received_avp", "$avp(RECEIVED)")
modparam("rr", "enable_full_lr", 1)
modparam("rr", "append_fromtag", 1)
modparam("htable", "htable", "users=>size=4;")
modparam("auth", "secret", "portier-test-secret")
modparam("auth", "algorithm", "${o.algorithm}")
modparam("auth", "nonce_count", 1)
modparam("auth", "qop", "auth")
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", 60000)

event_route[htable:mod-init] {
${users}
}

request_route {
  if (!mf_process_maxfwd_header("10")) {
    sl_send_reply("483", "Too Many Hops");
    exit;
  }
  if (!sanity_check("17895", "7")) {
    exit;
  }
  xlog("L_INFO", "request $rm $ru from $si:$sp/$pr\\n");
  if (is_method("OPTIONS") && $rU == $null) {
    sl_send_reply("200", "Keepalive");
    exit;
  }
  if (has_totag()) {
    route(WITHINDLG);
    exit;
  }
  if (is_method("CANCEL")) {
    if (t_check_trans()) {
      route(RELAY);
    }
    exit;
  }
  t_check_trans();
  if (is_method("REGISTER")) {
    route(REGISTRAR);
    exit;
  }
  route(AUTHENTICATE_CALL);
  remove_hf("Route");
  record_route();
  if (!lookup("location")) {
    xlog("L_INFO", "no contact for $ru\\n");
    sl_send_reply("404", "Not Registered");
    exit;
  }
  route(RELAY);
}

route[RELAY] {
  if (!t_relay()) {
    sl_reply_error();
  }
  exit;
}

route[WITHINDLG] {
  if (loose_route()) {
    route(RELAY);
  }
  if (is_method("ACK")) {
    if (t_check_trans()) {
      route(RELAY);
    }
    exit;
  }
  sl_send_reply("404", "Not here");
  exit;
}

route[REGISTRAR] {
  // Without credentials $au is null and the password lookup errors: challenge first.
  if ($au == $null || !pv_www_authenticate("${o.realm}", "$sht(users=>$au)", "0")) {
    www_challenge("${o.realm}", "1");
    exit;
  }
  if ($au != $tU) {
    sl_send_reply("403", "Auth user is not the To user");
    exit;
  }
  consume_credentials();
  if ($pr == "tcp" || $pr == "tls") {
    fix_nated_register();
  }
  if (!save("location")) {
    sl_reply_error();
  }
  exit;
}

route[AUTHENTICATE_CALL] {
${o.authenticateCalls ? authenticateCall(o.realm) : '  return;'}
}
`;
}

function authenticateCall(realm: string): string {
  return `  if ($au == $null || !pv_proxy_authenticate("${realm}", "$sht(users=>$au)", "0")) {
    proxy_challenge("${realm}", "1");
    exit;
  }
  consume_credentials();`;
}

export function kamailioTlsConfig(certFile: string, keyFile: string, caFile: string): string {
  // Client certificates are neither asked for nor verified: Portier authenticates with digest.
  return `[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = ${keyFile}
certificate = ${certFile}
ca_list = ${caFile}

[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
`;
}

// Values end up inside kamailio.cfg string literals and htable keys.
function cfgToken(value: string): string {
  if (!/^[A-Za-z0-9_.\-+!~*()%]+$/.test(value)) {
    throw new Error(`kamailio user value ${JSON.stringify(value)} has characters the test config cannot quote`);
  }
  return value;
}
