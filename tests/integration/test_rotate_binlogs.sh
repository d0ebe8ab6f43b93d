#!/usr/bin/env bash
# rotate-binlogs against a private server: closed binlogs archived byte-identical and verified, the
# active one never; a torn copy, a stale temporary copy and a copy with a flipped byte are found and
# replaced; --dry-run changes nothing; a held lock gives exit 5; binlog retention (prune --what
# binlogs and after a rotation) keeps the binlog a PITR base's coordinates name and every later one.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
A=$BACKUP_DIR/binlogs
INC=$BACKUP_DIR/incremental

sql "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(100)); INSERT INTO shop.t VALUES (1,'a');"
sql "FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (2,'b'); FLUSH BINARY LOGS; INSERT INTO shop.t VALUES (3,'c');"

active() { sql "SHOW MASTER STATUS" | cut -f1; }
server_binlogs() { sql "SHOW BINARY LOGS" | cut -f1; }
# Every binlog the server has closed is in the archive, byte for byte.
archive_matches_server() {
  local now; now=$(active)
  for name in $(server_binlogs); do
    [ "$name" = "$now" ] && continue
    cmp -s "$DATADIR/$name" "$A/$name" || { echo "  differs or missing: $name"; return 1; }
  done
}

expect_exit 0 mp rotate-binlogs --json
check "every closed binlog is archived byte-identical" archive_matches_server
check "the active binlog is not in the archive" test ! -e "$A/$(active)"
check "JSON says the archive is whole and lists copied and verified binlogs" python3 -c "
import json,sys; d=json.loads(sys.argv[1])
assert d['ok'] and d['whole'] and d['flushed'], d
assert len(d['copied']) >= 3 and set(d['copied']) <= set(d['verified']), d
assert d['active'] not in d['copied']" "$OUT"
check "no temporary copy is left" test -z "$(ls -A "$A" | grep partial)"
FIRST_ACTIVE_BEFORE=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['active'])" "$OUT")

expect_exit 0 mp rotate-binlogs --no-flush --json
check "a second run without new binlogs copies nothing and verifies from its record" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert d['copied']==[] and d['whole'] and not d['flushed'], d" "$OUT"
check "--no-flush leaves the active binlog active" test "$(active)" = "$FIRST_ACTIVE_BEFORE"

# A crash of an earlier run: a torn final-named copy, a stale temporary copy, and a copy with one
# byte changed (same size).
torn=$(server_binlogs | head -1)
flipped=$(server_binlogs | sed -n 2p)
truncate -s 100 "$A/$torn"
head -c 50 "$DATADIR/$torn" >"$A/.$torn.partial-AbCdEf"
python3 -c "
import sys; f=open(sys.argv[1],'r+b'); f.seek(200); b=f.read(1); f.seek(200); f.write(bytes([b[0]^0x40]))" "$A/$flipped"
differs() { ! cmp -s "$1" "$2"; }
check "the flipped copy differs from the server's file" differs "$DATADIR/$flipped" "$A/$flipped"
touch -d '-1 hour' "$A/$flipped"
expect_exit 0 mp rotate-binlogs --json
check "the torn copy was replaced" cmp -s "$DATADIR/$torn" "$A/$torn"
check "the copy with a changed byte was replaced" cmp -s "$DATADIR/$flipped" "$A/$flipped"
check "the stale temporary copy was removed" test ! -e "$A/.$torn.partial-AbCdEf"
check "JSON names both replaced binlogs as copied" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert {sys.argv[2], sys.argv[3]} <= set(d['copied']), d['copied']" "$OUT" "$torn" "$flipped"
check "the archive still matches the server" archive_matches_server

# --dry-run shows what would be copied and copies nothing.
sql "INSERT INTO shop.t VALUES (4,'d'); FLUSH BINARY LOGS;"
closed_not_archived=$(server_binlogs | tail -2 | head -1)
before=$(ls -la "$A" | md5sum)
expect_exit 0 mp rotate-binlogs --dry-run
check "dry run copies nothing" test "$before" = "$(ls -la "$A" | md5sum)"
check "dry run names the binlog it would copy" contains "$OUT" "$closed_not_archived"

# A rotation while another run holds the archive's lock is refused with exit 5, and so is a
# binlog prune while a rotation holds it.
exec 9>"$A/.mysqlpitr-binlogs.lock"
flock -n 9
expect_exit 5 mp rotate-binlogs
check "the lock error says so" contains "$ERR" "lock"
expect_exit 5 mp --yes prune --older-than 0 --what binlogs
exec 9>&-

# Retention: a PITR base made by mysqldump --master-data=2 names the active binlog at its start.
expect_exit 0 mp rotate-binlogs
mariadb-dump --no-defaults -S "$SOCKET" -uroot --master-data=2 --single-transaction --databases shop >"$INC/shop-back.sql"
base_file=$(sed -n "s/^-- CHANGE MASTER TO MASTER_LOG_FILE='\([^']*\)'.*/\1/p" "$INC/shop-back.sql")
check "the base records its binlog coordinates" test -n "$base_file"
sql "INSERT INTO shop.t VALUES (5,'e');"
expect_exit 0 mp rotate-binlogs
sql "INSERT INTO shop.t VALUES (6,'f');"
expect_exit 0 mp rotate-binlogs
# Every archived binlog is now "old".
touch -d '-30 days' "$A"/mysql-bin.[0-9]*
archived_before=$(cd "$A" && ls mysql-bin.[0-9]* | sort)
older=$(printf '%s\n' $archived_before | awk -v b="$base_file" '$0 < b')
newer=$(printf '%s\n' $archived_before | awk -v b="$base_file" '$0 >= b')
check "there are archived binlogs before the base's file" test -n "$older"

expect_exit 0 mp prune --older-than 7 --what binlogs --dry-run
check "the binlog plan says why the base's file is kept" contains "$OUT" "needed by PITR base shop-back.sql"
check "dry run deleted nothing" test "$archived_before" = "$(cd "$A" && ls mysql-bin.[0-9]* | sort)"

expect_exit 3 mp prune --older-than 7 --what binlogs
check "without SI nothing is deleted" test "$archived_before" = "$(cd "$A" && ls mysql-bin.[0-9]* | sort)"

expect_exit 0 mp --yes prune --older-than 7 --what binlogs --json
for name in $newer; do check "kept $name (the base needs it)" test -e "$A/$name"; done
for name in $older; do check "deleted $name (before the base)" test ! -e "$A/$name"; done
check "the server's own binlogs are untouched" test -e "$DATADIR/$(server_binlogs | head -1)"
check "JSON lists the deleted binlogs" python3 -c "
import json,sys; d=json.loads(sys.argv[1])
deleted={p['path'].rsplit('/',1)[1] for p in d['deleted']}
assert deleted==set(sys.argv[2].split()), (deleted, sys.argv[2])" "$OUT" "$older"

# A later rotation copies the deleted binlogs again (the server still has them; copies keep the
# server file's time, made old here) and retention after the rotation (retention.binlog_days)
# deletes them again, keeping what the base needs.
now_active=$(active)
for name in $(server_binlogs); do [ "$name" = "$now_active" ] || touch -d '-30 days' "$DATADIR/$name"; done
printf '\n[retention]\nbinlog_days = 7\n' >>"$CONFIG"
expect_exit 0 mp rotate-binlogs --json
check "rotation applied retention from retention.binlog_days" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); r=d['retention']
assert set(r['deleted'])==set(sys.argv[2].split()), r" "$OUT" "$older"
for name in $newer; do check "still kept $name after the rotation's retention" test -e "$A/$name"; done

# Without a PITR base, by age only; the newest archived binlog always stays.
rm "$INC/shop-back.sql"
touch -d '-30 days' "$A"/mysql-bin.[0-9]*
newest=$(cd "$A" && ls mysql-bin.[0-9]* | sort | tail -1)
expect_exit 0 mp --yes prune --older-than 7 --keep-last 0 --what binlogs
check "the newest archived binlog is never deleted" test -e "$A/$newest"
check "only the newest is left" test "$(cd "$A" && ls mysql-bin.[0-9]* | wc -l)" = 1

harness_finish
