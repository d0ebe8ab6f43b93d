#!/usr/bin/env bash
# Helpers shared by the restore-historical tests (sourced after harness.sh).

FIXTURE=${MYSQLPITR_SOURCE_DIR:-$(dirname "$0")/../..}/tests/integration/data/restore_fixture.sql

load_fixture() { sql <"$FIXTURE"; }

# A historical dump exactly as the old back-sql-single.sh made it (MariaDB's mysqldump has no
# --set-gtid-purged, so that option of the old scripts is left out here). $1 = database, $2 = file.
legacy_dump() {
  mysqldump --no-defaults -S "$SOCKET" -uroot --databases "$1" --routines --events --triggers \
    --single-transaction --add-drop-database | gzip -9 >"$2"
}

# The fingerprint with the database name neutralised.
normalised_fingerprint() { fingerprint "$1" | sed -e "s/\`$1\`/$1/g" -e "s/\\b$1\\b/DB/g"; }

# Shows the first differing lines of two fingerprint files on failure.
same_fingerprint() {
  if cmp -s "$1" "$2"; then return 0; fi
  diff "$1" "$2" | head -20
  return 1
}
