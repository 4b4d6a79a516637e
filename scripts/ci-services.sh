#!/usr/bin/env bash
# Services the probe's integration tests need, run as root by CI before the tests (and safe to run again):
#   - iptables, so a test can black-hole a loopback port inside a network namespace of its own;
#   - Debian's postfix on 127.0.0.1 only: 25 (STARTTLS offered), 587 (submission, TLS required), 465 (implicit TLS),
#     with a fresh self-signed certificate. Nothing listens beyond loopback and nothing is relayed anywhere;
#   - Debian's redis-server, installed only: the state tests start their own on 127.0.0.1 and a free port
#     (test/support/redis-server.ts), without persistence, and stop it at the end.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "ci-services.sh: must run as root (installs packages, configures postfix)" >&2
  exit 1
fi

missing=()
command -v postconf >/dev/null 2>&1 || missing+=(postfix)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# For `npm run bench`: /usr/bin/time measures whole processes, and Debian's sisimai is the speed reference.
[ -x /usr/bin/time ] || missing+=(time)
perl -MSisimai::Reason -e 1 >/dev/null 2>&1 || missing+=(libsisimai-perl)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Without a preset, the postfix package would ask which kind of mail system this is.
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections 2>/dev/null || true
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

key=/etc/postfix/smtp-doctor-test-key.pem
cert=/etc/postfix/smtp-doctor-test-cert.pem
# A fresh certificate each run: short-lived, and no stale one can make a test pass by accident.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$key" -out "$cert" 2>/dev/null
chmod 600 "$key"

postconf -e \
  inet_interfaces=loopback-only \
  inet_protocols=ipv4 \
  myhostname=localhost.localdomain \
  mydestination='localhost, localhost.localdomain' \
  mynetworks=127.0.0.0/8 \
  relayhost= \
  'default_transport=error:outbound mail is disabled on this test server' \
  smtpd_tls_cert_file="$cert" \
  smtpd_tls_key_file="$key" \
  smtpd_tls_security_level=may \
  maillog_file=/var/log/postfix.log

postconf -M submission/inet="submission inet n - n - - smtpd"
postconf -P submission/inet/syslog_name=postfix/submission submission/inet/smtpd_tls_security_level=encrypt
postconf -M submissions/inet="submissions inet n - n - - smtpd"
postconf -P submissions/inet/syslog_name=postfix/submissions submissions/inet/smtpd_tls_wrappermode=yes
# There is no syslog daemon in CI containers: postlogd writes maillog_file instead.
postconf -M postlog/unix-dgram="postlog unix-dgram n - n - 1 postlogd"

newaliases
postfix check
if postfix status >/dev/null 2>&1; then
  postfix reload
else
  postfix start
fi

for port in 25 587 465; do
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      break
    fi
    sleep 0.2
  done
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "ci-services.sh: postfix is not listening on 127.0.0.1:$port (see /var/log/postfix.log)" >&2
    exit 1
  fi
done
echo "ci-services.sh: postfix listening on 127.0.0.1:25, 587, 465; iptables $(iptables --version | awk '{print $2}'); $(redis-server --version | awk '{print $1, $2, $3}')"
