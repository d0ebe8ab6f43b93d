#!/usr/bin/env bash
# Shared by the benchmarks (sourced after harness.sh and harness_start_mariadb): the sysbench data
# set of TABLES tables x ROWS rows in database sbtest, and its table checksums to compare restores with.

prepare_sysbench() {
  echo "preparing sysbench data: $TABLES tables x $ROWS rows" >&2
  sql "CREATE DATABASE sbtest"
  sysbench oltp_read_write --db-driver=mysql --mysql-socket="$SOCKET" --mysql-user=root --mysql-db=sbtest \
    --tables="$TABLES" --table-size="$ROWS" --threads=2 prepare >/dev/null || { echo "sysbench prepare failed" >&2; exit 1; }
}

# checksums [DATABASE]: CHECKSUM TABLE of each sysbench table of DATABASE (default sbtest), on one line.
checksums() {
  local t
  for t in $(seq 1 "$TABLES"); do sql "CHECKSUM TABLE ${1:-sbtest}.sbtest$t EXTENDED" | cut -f2; done | tr '\n' ' '
}
