#!/usr/bin/env bash
# What the test suite needs besides Python packages, installed and started when missing:
#  - Debian's chromium, which the Playwright browser tests drive (no browser download);
#  - poppler-utils (pdftoppm, pdftotext) and pango for the PDF reports and their tests;
#  - a PostgreSQL server on 127.0.0.1:5432 with trust auth and a `kansrijk` database, for the
#    web tests' second run (SQLite is the default database);
#  - a Java runtime (17 or 21) for PySpark 4: the Spark parity test runs Spark local[2] in a
#    JVM (tests/integration/test_spark_parity.py);
#  - nginx and openssl for the production recipe's test (tests/web/test_production_proxy.py:
#    nginx terminates TLS with a self-signed certificate; the test runs its own nginx on free
#    ports and needs no nginx service).
# Installing needs root (or sudo) and Debian's package registry; the script says what is
# missing otherwise.
set -euo pipefail
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PG_DB=${PG_DB:-kansrijk}

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/apt.sh
. "$HERE/apt.sh"
"$HERE/report-prereqs.sh"

if [ ! -x /usr/bin/chromium ]; then
  echo "test-prereqs: installing Debian's chromium for the browser tests"
  apt_install chromium fonts-dejavu-core >/dev/null
fi

if ! command -v msgfmt >/dev/null; then
  echo "test-prereqs: installing GNU gettext (the i18n test compiles the Dutch catalogue)"
  apt_install gettext >/dev/null
fi

# Spark 4 runs on Java 17 or 21 (Debian 12 ships 17, Debian 13 ships 21).
if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  echo "test-prereqs: installing a Java runtime for PySpark (the Spark parity test)"
  apt_install openjdk-17-jre-headless >/dev/null || apt_install openjdk-21-jre-headless >/dev/null
fi

if [ ! -x /usr/sbin/nginx ] || ! command -v openssl >/dev/null; then
  echo "test-prereqs: installing nginx and openssl (the production proxy test)"
  # The test starts its own nginx; keep the package from starting a service on port 80 (and
  # from failing the install where no init system runs) with a temporary policy-rc.d.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    apt_install nginx-light openssl >/dev/null || apt_install nginx openssl >/dev/null
    as_root rm -f /usr/sbin/policy-rc.d
  else
    apt_install nginx-light openssl >/dev/null || apt_install nginx openssl >/dev/null
  fi
fi

if ! command -v pg_isready >/dev/null; then
  echo "test-prereqs: installing PostgreSQL"
  apt_install postgresql >/dev/null
fi
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
  echo "test-prereqs: starting PostgreSQL on $PG_HOST:$PG_PORT"
  version=$(ls /etc/postgresql | sort -V | tail -1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
fi
if ! psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
     "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" | grep -q 1; then
  createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
fi
echo "test-prereqs: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), $(/usr/sbin/nginx -v 2>&1 | cut -d' ' -f3), java $(java -version 2>&1 | awk -F'"' 'NR==1 {print $2}'), PostgreSQL ready on $PG_HOST:$PG_PORT"
