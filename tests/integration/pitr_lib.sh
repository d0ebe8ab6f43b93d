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


# hold_progress_row TARGET N PID: the replay (process PID, run with --group-transactions 1) commits
# each transaction with its progress row, fast enough to finish between a look at the row and a
# kill: a session that holds the row (SELECT ... FOR UPDATE) once it shows more than N transactions
# keeps the replay from committing anything more. True once held (false when PID ended first); the
# session's input and output are $hold_in and $hold_out, its pid $hold_pid (send ROLLBACK or
# COMMIT, then close $hold_in).
hold_progress_row() {
  local target=$1 limit=$2 replay=$3 pos line
  coproc HOLD { mariadb --no-defaults -S "$SOCKET" -uroot -N -B --unbuffered --force 2>&1; }
  # bash unsets HOLD and HOLD_PID as soon as the coprocess has exited (a busy machine can get
  # there first): keep copies.
  hold_pid=$HOLD_PID hold_in=${HOLD[1]} hold_out=${HOLD[0]}
  for _ in $(seq 1 2000); do
    # Before the replay creates the table the SELECT fails (--force goes on); 'polled' ends each answer.
    echo "START TRANSACTION;
      SELECT CONCAT('at ', IFNULL(MAX(transactions), -1)) FROM _mysqlpitr.pitr_progress WHERE target='$target' FOR UPDATE;
      SELECT 'polled';" >&"$hold_in"
    pos=-1
    while read -r -t 20 line <&"$hold_out" && [ "$line" != polled ]; do
      [[ "$line" =~ ^at\ ([0-9]+)$ ]] && pos=${BASH_REMATCH[1]}
    done
    [ "$pos" -gt "$limit" ] && return 0
    echo "COMMIT;" >&"$hold_in"
    kill -0 "$replay" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}
