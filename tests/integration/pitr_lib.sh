#!/usr/bin/env bash
# Helpers of the restore-pitr integration tests (sourced after harness.sh and harness_start_mariadb):
# q (the mariadb client as root), fingerprint (what a restore must reproduce), make_pitr_base.
command -v mariadb-dump >/dev/null || skip "mariadb-dump not installed"
command -v mariadb-binlog >/dev/null || skip "mariadb-binlog not installed"

q() { mariadb --no-defaults -S "$SOCKET" -uroot -N -B "$@"; }

# CHECKSUM TABLE and SHOW CREATE of every table, routine and trigger of database $1.
fingerprint() {
  local db=$1 t
  for t in $(q -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='$db' ORDER BY 1"); do
    q -e "CHECKSUM TABLE \`$db\`.\`$t\` EXTENDED" | cut -f2
    q -e "SHOW CREATE TABLE \`$db\`.\`$t\`" | sed -E 's/ AUTO_INCREMENT=[0-9]+//'
  done
  q -e "SELECT ROUTINE_TYPE, ROUTINE_NAME, ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='$db' ORDER BY 1,2"
  q -e "SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='$db' ORDER BY 1"
}

# make_pitr_base DB: the PITR base of DB as the old scripts made it (mysqldump --master-data=2).
make_pitr_base() {
  mariadb-dump --no-defaults -S "$SOCKET" -uroot --master-data=2 --single-transaction --databases "$1" --routines \
    --events --triggers >"$BACKUP_DIR/incremental/$1-back.sql"
}

# The binlog being written and its size: "mysql-bin.000003<TAB>1234".
master_status() { q -e "SHOW MASTER STATUS" | cut -f1,2; }

# event_starts FILE [START]: the "# at N" positions mariadb-binlog prints for FILE, from START on.
event_starts() {
  mariadb-binlog --no-defaults ${2:+--start-position="$2"} "$DATADIR/$1" | sed -n 's/^# at \([0-9]*\)$/\1/p'
}

# Whether the database $1 exists.
has_database() { [ "$(q -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='$1'")" = 1 ]; }
no_database() { ! has_database "$1"; }

# same_text A B: true when equal, else shows the difference (for a failing check).
same_text() {
  [ "$1" = "$2" ] && return 0
  diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") | head -20 | sed 's/^/    /'
  return 1
}
