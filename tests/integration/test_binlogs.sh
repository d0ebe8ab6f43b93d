#!/usr/bin/env bash
# `binlogs show` and `list binlogs` on binlogs a private mariadbd writes with every variation we
# can switch on at runtime (ROW and STATEMENT, log_bin_compress, binlog_checksum NONE/CRC32,
# annotate rows, XA): event boundaries must be mysqlbinlog's, listing must see every file.
set -u
source "$(dirname "$0")/harness.sh"
command -v mysqlbinlog >/dev/null || skip "mysqlbinlog not installed"
harness_start_mariadb --binlog-format=ROW --binlog-checksum=CRC32 --binlog-annotate-row-events=ON
sql "CREATE DATABASE shop; CREATE DATABASE other;"
sql -D shop "CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, a VARCHAR(300), b BIGINT, c DECIMAL(10,3),
  d DATETIME(3), e JSON, f BIT(10), g ENUM('x','y'), h SET('p','q'), i BLOB, j CHAR(20), k DOUBLE, l FLOAT,
  m TIME(2), n TIMESTAMP(6) NULL, o YEAR, p DATE, q TINYINT UNSIGNED, r MEDIUMINT, s CHAR(200) CHARACTER SET utf8mb4)"
sql -D shop "INSERT INTO t VALUES (NULL,'hello',5,1.5,NOW(3),'{\"a\":1}',b'1010','y','p,q','blobby','ch',2.5,1.25,
  '10:11:12.34',NOW(6),2024,'2024-01-02',200,-5,'wide'); INSERT INTO t (a) VALUES ('x'),('y'),('z');
  UPDATE t SET b = b + 1; DELETE FROM t WHERE id > 3"
sql -D other "CREATE TABLE u (id INT PRIMARY KEY); INSERT INTO u VALUES (1),(2),(3)"
sql -D shop "SET SESSION binlog_format=STATEMENT; SET @v='uservar'; INSERT INTO t (a,b) VALUES (@v, RAND()*100)"
sql "SET GLOBAL log_bin_compress=ON; SET GLOBAL log_bin_compress_min_len=10"
sql -D shop "INSERT INTO t (a, i) VALUES (REPEAT('compress me ', 20), REPEAT('blob ', 50)),('second', 'b');
  UPDATE t SET a = CONCAT(a, ' updated') WHERE id > 0;
  SET SESSION binlog_format=STATEMENT; INSERT INTO t (a) VALUES (REPEAT('statement compressed ', 10))"
sql "SET GLOBAL log_bin_compress=OFF; SET GLOBAL binlog_checksum=NONE"
sql -D shop "INSERT INTO t (a) VALUES ('no checksum'); XA START 'x1'; INSERT INTO t (a) VALUES ('xa'); XA END 'x1';
  XA PREPARE 'x1'; XA COMMIT 'x1'; ALTER TABLE t ADD COLUMN z INT"
sql "SET GLOBAL binlog_checksum=CRC32; FLUSH BINARY LOGS"

json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
for f in "$DATADIR"/mysql-bin.[0-9]*; do
  name=$(basename "$f")
  ours=$(mp --json binlogs show "$f" | json_field '" ".join(str(e["position"]) for e in d["events"] if "payload_index" not in e)')
  theirs=$(mysqlbinlog --no-defaults "$f" | sed -n 's/^# at \([0-9]*\)$/\1/p' | tr '\n' ' ' | sed 's/ $//')
  check "$name: event boundaries are mysqlbinlog's" test "$ours" = "$theirs"
  our_rows=$(mp --json binlogs show "$f" | json_field 'sum(e.get("rows") or 0 for e in d["events"])')
  their_rows=$(mysqlbinlog --no-defaults "$f" | sed -n 's/^# Number of rows: \([0-9]*\)$/\1/p' | paste -sd+ | sed 's/^$/0/' | bc)
  check "$name: row counts add up to mysqlbinlog's ($their_rows)" test "$our_rows" = "$their_rows"
done
types=$(for f in "$DATADIR"/mysql-bin.[0-9]*; do mp --json binlogs show "$f"; done |
  python3 -c 'import json,sys
text=sys.stdin.read(); dec=json.JSONDecoder(); i=0; seen=set()
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    d, i = dec.raw_decode(text, i); seen.update(e["type"] for e in d["events"])
print(" ".join(sorted(seen)))')
for t in Query_compressed Write_rows_compressed_v1 Update_rows_compressed_v1 XA_prepare Annotate_rows Gtid Gtid_list \
  Binlog_checkpoint Intvar Rand User_var Rotate Xid Table_map; do
  check "the generated binlogs hold a $t event, decoded" contains " $types " " $t "
done

first=$(ls "$DATADIR"/mysql-bin.[0-9]* | head -1)
shop_only=$(mp --json binlogs show --db other "$first" | json_field '",".join(sorted(set(e.get("database","") for e in d["events"]) - {""}))')
check "--db other shows only events of database other" test "$shop_only" = "other"
expect_exit 1 mp binlogs show /nonexistent/mysql-bin.000001

# list binlogs: the archive (copied closed files), one removed to make a gap.
for f in "$DATADIR"/mysql-bin.[0-9]*; do cp "$f" "$BACKUP_DIR/binlogs/"; done
listing=$(mp --json list binlogs)
count=$(echo "$listing" | json_field 'len(d["binlogs"])')
check "list binlogs lists every archived file" test "$count" = "$(ls "$DATADIR"/mysql-bin.[0-9]* | wc -l)"
check "list binlogs has the fixed JSON fields" test "$(echo "$listing" | json_field 'sorted(k for k in d["binlogs"][0] if k in ("name","path","size","first_event_time","last_event_time","server_id"))')" = "['first_event_time', 'last_event_time', 'name', 'path', 'server_id', 'size']"
check "a whole archive has no gap" test "$(echo "$listing" | json_field 'len(d["gaps"])')" = 0
check "the cache file was written" test -f "$BACKUP_DIR/binlogs/.mysqlpitr-binlog-cache.json"
rm "$BACKUP_DIR/binlogs/mysql-bin.000002"
gaps=$(mp --json list binlogs | json_field 'd["gaps"][0]["reason"]')
check "a missing file is reported as a gap ($gaps)" contains "$gaps" "missing"
harness_finish
