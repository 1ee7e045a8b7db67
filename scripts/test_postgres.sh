#!/bin/sh
# `make test-postgres`: start a throwaway PostgreSQL (Debian's package; installed with apt-get when
# missing and run as root), run the store and clinic tests against it, then stop it and remove it.
# The server listens on a Unix socket in a private temporary folder only (no TCP port), with
# trust authentication: nothing outside this machine's root and the test can reach it.
set -eu

PYTHON=${PYTHON:-.venv/bin/python}
TESTS=${TESTS:-tests/test_abuse.py tests/test_https.py tests/test_store.py tests/test_staff.py tests/test_staff_list.py tests/test_migrations.py tests/test_access.py tests/test_wizard.py tests/test_fhir_api.py tests/test_saving.py tests/test_limits.py tests/test_clean_text.py tests/test_retention.py tests/test_clinic_day.py tests/test_report.py tests/test_followup.py tests/test_feedback.py}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "Installing PostgreSQL (Debian package postgresql)"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
	else
		echo "PostgreSQL is missing. Install it as root: apt-get install postgresql"
		exit 1
	fi
fi
BIN=$(pg_bin)

DIR=$(mktemp -d /tmp/decision-aid-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$DIR"
	as_db() { runuser -u postgres -- "$@"; }
else
	as_db() { "$@"; }
fi

stop() {
	as_db "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap stop EXIT INT TERM

as_db "$BIN/initdb" -D "$DIR/data" -U decision_aid -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_db "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
	-o "-c listen_addresses='' -k $DIR -c fsync=off -c full_page_writes=off" start >/dev/null \
	|| { cat "$DIR/server.log"; exit 1; }
as_db "$BIN/createdb" -h "$DIR" -U decision_aid decision_aid_test

echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') running in $DIR"
status=0
# shellcheck disable=SC2086
TEST_DATABASE_URL="postgresql+psycopg://decision_aid@/decision_aid_test?host=$DIR" \
	"$PYTHON" -m pytest -q -p no:cacheprovider $TESTS || status=$?
exit $status
