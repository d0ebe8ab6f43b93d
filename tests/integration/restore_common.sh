#!/usr/bin/env bash
# Helpers shared by the restore-historical tests (sourced after harness.sh).

FIXTURE=${MYSQLPITR_SOURCE_DIR:-$(dirname "$0")/../..}/tests/integration/data/restore_fixture.sql

load_fixture() { mariadb --no-defaults -S "$SOCKET" -uroot <"$FIXTURE"; }

# A historical dump exactly as the old back-sql-single.sh made it (MariaDB's mysqldump has no
# --set-gtid-purged, so that option of the old scripts is left out here). $1 = database, $2 = file.
legacy_dump() {
  mysqldump --no-defaults -S "$SOCKET" -uroot --databases "$1" --routines --events --triggers \
    --single-transaction --add-drop-database | gzip -9 >"$2"
}

# Everything an operator would compare after a restore, with the database's own name replaced by
# DB so that a copy restored under another name compares equal: per table the row count, the
# CHECKSUM TABLE value and SHOW CREATE TABLE; views, routines, triggers and events as the server
# describes them.
fingerprint() {
  local db=$1 table quoted
  while IFS= read -r table; do
    quoted="\`${table//\`/\`\`}\`"
    echo "table $table rows $(sql "SELECT COUNT(*) FROM \`$db\`.$quoted")"
    echo "checksum $(sql "CHECKSUM TABLE \`$db\`.$quoted EXTENDED" | cut -f2)"
    sql_db "$db" "SHOW CREATE TABLE $quoted" | cut -f2-
  done < <(sql "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='$db' AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME")
  sql "SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA='$db' ORDER BY TABLE_NAME"
  sql "SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, SQL_MODE, DEFINER, DATA_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='$db' ORDER BY ROUTINE_NAME"
  sql "SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_TIMING, EVENT_OBJECT_TABLE, ACTION_STATEMENT, SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='$db' ORDER BY TRIGGER_NAME"
  sql "SELECT EVENT_NAME, EVENT_DEFINITION, INTERVAL_VALUE, INTERVAL_FIELD, STATUS, STARTS FROM information_schema.EVENTS WHERE EVENT_SCHEMA='$db' ORDER BY EVENT_NAME"
} 

# The fingerprint with the database name neutralised.
normalised_fingerprint() { fingerprint "$1" | sed -e "s/\`$1\`/$1/g" -e "s/\\b$1\\b/DB/g"; }

# Shows the first differing lines of two fingerprint files on failure.
same_fingerprint() {
  if cmp -s "$1" "$2"; then return 0; fi
  diff "$1" "$2" | head -20
  return 1
}
