#!/usr/bin/env bash
# Helpers of the restore-pitr integration tests (sourced after harness.sh and harness_start_mariadb):
# make_pitr_base, binlog positions, database presence; fingerprints without AUTO_INCREMENT counters.
command -v mariadb-dump >/dev/null || skip "mariadb-dump not installed"
command -v mariadb-binlog >/dev/null || skip "mariadb-binlog not installed"

# A replay does not advance AUTO_INCREMENT for inserts the original rolled back.
FINGERPRINT_AUTO_INCREMENT=ignore

# make_pitr_base DB: the PITR base of DB as the old scripts made it (mysqldump --master-data=2).
make_pitr_base() {
  mariadb-dump --no-defaults -S "$SOCKET" -uroot --master-data=2 --single-transaction --databases "$1" --routines \
    --events --triggers >"$BACKUP_DIR/incremental/$1-back.sql"
}

# The binlog being written and its size: "mysql-bin.000003<TAB>1234".
master_status() { sql "SHOW MASTER STATUS" | cut -f1,2; }

# event_starts FILE [START]: the "# at N" positions mariadb-binlog prints for FILE, from START on.
event_starts() {
  mariadb-binlog --no-defaults ${2:+--start-position="$2"} "$DATADIR/$1" | sed -n 's/^# at \([0-9]*\)$/\1/p'
}

# Whether the database $1 exists.
has_database() { [ "$(sql "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='$1'")" = 1 ]; }
no_database() { ! has_database "$1"; }
