#!/usr/bin/env bash
# rotate-binlogs and prune --what binlogs refuse clearly: no archive configured, an archive folder
# that does not exist (never created: an unmounted disk), the server's own binlog folder as the
# archive, and binlog files this user cannot read (the tool must run on the database host as a
# user who can read them).
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
sql "FLUSH BINARY LOGS"

set_archive() { sed -i "s|^binlog_archive = .*|binlog_archive = \"$1\"|" "$CONFIG"; }

set_archive ""
expect_exit 2 mp rotate-binlogs
check "without an archive folder the error names paths.binlog_archive" contains "$ERR" "paths.binlog_archive"
expect_exit 2 mp --yes prune --older-than 1 --what binlogs
check "prune --what binlogs without an archive says only archived copies are pruned" contains "$ERR" "only archived copies"

set_archive "$BACKUP_DIR/not-mounted"
expect_exit 1 mp rotate-binlogs
check "a missing archive folder is not created" test ! -e "$BACKUP_DIR/not-mounted"
check "the error says to create or mount it" contains "$ERR" "create or mount"

set_archive "$DATADIR"
expect_exit 2 mp rotate-binlogs
check "the server's own folder is refused as the archive" contains "$ERR" "the server's own binlog folder"
check "no lock file was left in the server's folder" test -z "$(ls -A "$DATADIR" | grep mysqlpitr)"

# As a user who cannot read the server's files (root reads everything, so the test switches to
# nobody when it runs as root).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  mkdir -p "$HARNESS_TMP/other/binlogs"
  set_archive "$HARNESS_TMP/other/binlogs"
  cp "$CONFIG" "$HARNESS_TMP/other/mysqlpitr.toml"
  chown -R nobody "$HARNESS_TMP/other"
  chmod 711 "$HARNESS_TMP"
  chmod 700 "$DATADIR"
  expect_exit 1 setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$MYSQLPITR_BIN" -c "$HARNESS_TMP/other/mysqlpitr.toml" rotate-binlogs
  check "an unreadable binlog folder is explained: run on the database host as a user who can read them" \
    contains "$ERR" "must run on the database host"
  check "the error names the fix" contains "$ERR" "usermod -aG mysql"
  check "nothing was archived" test -z "$(ls -A "$HARNESS_TMP/other/binlogs" | grep -v '^.mysqlpitr-binlogs.lock$')"
else
  echo "# not root: the unreadable-binlog case needs another user; skipped"
fi
harness_finish
