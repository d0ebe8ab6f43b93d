#!/usr/bin/env bash
# backup writes dumps that the plain mariadb client restores identically: every column type, odd
# names, foreign keys, views over views, routines, triggers, events, a MyISAM table, a sequence.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb

DB='my db-ñ`x'
QDB='`my db-ñ``x`'
sql "CREATE DATABASE $QDB CHARACTER SET utf8mb4;
CREATE DATABASE plain;
CREATE DATABASE excluded_one;
USE $QDB;
CREATE TABLE \`all types\` (
  id INT PRIMARY KEY AUTO_INCREMENT,
  ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT, bi BIGINT, ub BIGINT UNSIGNED,
  de DECIMAL(65,30), fl FLOAT, fl2 FLOAT(7,3), db DOUBLE,
  b1 BIT(1), b13 BIT(13), b64 BIT(64),
  bn BINARY(4), vb VARBINARY(300), bl BLOB, lb LONGBLOB,
  vc VARCHAR(100), tx TEXT, ch CHAR(3), lat VARCHAR(20) CHARACTER SET latin1,
  dt DATE, dtm DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(2), yr YEAR,
  js JSON, pt POINT, geo GEOMETRY,
  en ENUM('a','b c','ñ'), st SET('x','y','z'),
  gv INT AS (ti * 2) VIRTUAL, gs VARCHAR(200) AS (CONCAT(vc, '!')) STORED,
  hid INT INVISIBLE DEFAULT 7
) ENGINE=InnoDB;
INSERT INTO \`all types\` (ti, si, mi, bi, ub, de, fl, fl2, db, b1, b13, b64, bn, vb, bl, lb, vc, tx, ch, lat, dt, dtm, ts, tm, yr, js, pt, geo, en, st, hid) VALUES
 (-128, 65535, -8388608, -9223372036854775808, 18446744073709551615, -12345678901234567890.123456789012345678901234567890,
  0.3333333, 1234.567, 0.1, b'1', b'1010101010101', b'1111111111111111111111111111111111111111111111111111111111111111',
  0x00FF0A27, 0x000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F5C27225A, 0x00, 0xFFFE,
  'ñandú 🦤 日本 \\\\ \\' \" \\n \\r \\t', 'line1\nline2\r\n\\\\0', 'abc', 'café',
  '0000-00-00', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '-838:59:59.00', 1901,
  '{\"a\": [1, 2.5, \"ñ\"], \"b\": null}', ST_GeomFromText('POINT(1.5 -2.25)'),
  ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))'), 'b c', 'x,z', 42),
 (127, 0, 8388607, 9223372036854775807, 0, 0.000000000000000000000000000001,
  1.0000001, -9999.999, 1.7976931348623157e308, b'0', b'0', b'0',
  '', '', '', NULL, '', '', '', '', '1000-01-01', '1000-01-01 00:00:00', '1980-01-01 00:00:01', '838:59:59.99', 2155,
  '[]', NULL, NULL, 'ñ', '', 0),
 (0, NULL, NULL, NULL, NULL, NULL, 3.40282e38, NULL, 2.2250738585072014e-308, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-02-29', '0000-00-00 00:00:00', NULL, '00:00:00', 0000,
  NULL, NULL, NULL, NULL, NULL, NULL),
 (1, 1, 1, 1, 1, 1, 1.17549435e-38, 0, -2.2250738585072014e-308, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, 'NULL', 'null', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '\"just a string\"', NULL, NULL, 'a', 'x,y,z', NULL);
INSERT INTO \`all types\` (db, fl, vc) SELECT RAND(seq) * POW(10, CAST(seq % 600 AS SIGNED) - 300), RAND(seq + 1) * 1000, CONCAT('row ', seq) FROM seq_1_to_3000;
CREATE TABLE \`z-parent\` (id INT PRIMARY KEY, \`na\`\`me\` VARCHAR(20)) ENGINE=InnoDB;
CREATE TABLE \`a child\` (id INT PRIMARY KEY, parent INT, FOREIGN KEY (parent) REFERENCES \`z-parent\` (id) ON DELETE CASCADE) ENGINE=InnoDB;
INSERT INTO \`z-parent\` VALUES (1, 'one'), (2, 'two');
INSERT INTO \`a child\` VALUES (10, 1), (20, 2), (30, NULL);
CREATE TABLE big (id INT PRIMARY KEY, payload VARCHAR(200), blobby BLOB) ENGINE=InnoDB;
INSERT INTO big SELECT seq, REPEAT(CHAR(65 + seq % 26), 150), UNHEX(SHA2(seq, 256)) FROM seq_1_to_40000;
CREATE TABLE my (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM;
INSERT INTO my VALUES (1, 'myisam'), (2, NULL);
CREATE TABLE ar (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=Aria;
INSERT INTO ar VALUES (1, 'aria');
CREATE TABLE empty_one (id INT) ENGINE=InnoDB;
CREATE SEQUENCE seq1 START WITH 100 INCREMENT BY 5;
DO NEXTVAL(seq1); DO NEXTVAL(seq1);
CREATE FUNCTION \`twice\`(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
"
# v_a is created over v_b, which must exist first, while their names sort the other way round.
sql "USE $QDB;
CREATE VIEW \`v_b\` AS SELECT p.id, p.\`na\`\`me\` AS n FROM \`z-parent\` p JOIN \`a child\` c ON c.parent = p.id;
CREATE VIEW \`v_a\` AS SELECT id, \`twice\`(id) AS t, n FROM \`v_b\`;
DELIMITER ;;
CREATE PROCEDURE \`proc; with semi\`(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  WHILE i < n DO SET i = i + 1; END WHILE;
  SELECT i AS 'done;';
END;;
CREATE TRIGGER \`trg-ins\` BEFORE INSERT ON \`z-parent\` FOR EACH ROW BEGIN SET NEW.\`na\`\`me\` = UPPER(NEW.\`na\`\`me\`); END;
CREATE TRIGGER trg_ins2 BEFORE INSERT ON \`z-parent\` FOR EACH ROW FOLLOWS \`trg-ins\` SET NEW.id = NEW.id + 0;
CREATE EVENT \`ev 1\` ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO DELETE FROM plain.t WHERE 1 = 0;
USE plain;
CREATE TABLE t (id INT PRIMARY KEY, c VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO t VALUES (1, 'x');
USE excluded_one;
CREATE TABLE t (id INT);
"

# The database's fingerprint, and what it does not show: a view's rows, the sequence's next value,
# and values as text (a checksum would not say which one changed).
state() {
  fingerprint "$1"
  sql "SELECT * FROM $QDB.\`v_a\` ORDER BY id"
  sql "SELECT NEXTVAL($QDB.seq1)"
  sql "SELECT HEX(b13), fl, fl2, db, HEX(vb), ST_AsText(geo), hid, gv, gs, ts FROM $QDB.\`all types\` ORDER BY id LIMIT 4"
}

sql "SET GLOBAL time_zone = '+05:30'"  # TIMESTAMP values must not shift with the server's zone
before=$(state "$DB")
# NEXTVAL in state() advanced the sequence: take the state again so both sides did it once.
sql "ALTER SEQUENCE $QDB.seq1 RESTART WITH 110"
before=$(state "$DB")
sql "ALTER SEQUENCE $QDB.seq1 RESTART WITH 110"

cat >>"$CONFIG" <<TOML

[backup]
jobs = 3
TOML
sed -i 's/^\[mysql\]$/[mysql]\nexclude = ["information_schema", "performance_schema", "mysql", "sys", "EXCLUDED_ONE"]/' "$CONFIG"

expect_exit 0 mp --json backup --kind historical
check "the JSON report lists one file per database" test "$(jq '.backups | length' <<<"$OUT")" = 2
check "excluded databases are skipped (case-insensitively)" bash -c "! ls '$BACKUP_DIR/historical' | grep -q excluded_one"
check "the report names the non-transactional tables" bash -c "jq -e '.non_transactional_tables | length == 2' <<<'$OUT' >/dev/null"
file=$(ls "$BACKUP_DIR"/historical/*-back_*.sql.gz | grep -F "$DB-back_")
check "the file has the legacy name <db>-back_<date>.sql.gz" test -f "$file"
check "gzip -t accepts the file" gzip -t "$file"
check "the dump ends with the completion marker" bash -c "gzip -dc \"\$1\" | tail -1 | grep -q '^-- Dump completed on '" _ "$file"
check "no temporary file is left behind" bash -c "! ls -a '$BACKUP_DIR/historical' | grep -q partial"
check "the manifest has an entry for the file" bash -c "jq -e --arg n \"\$(basename \"\$1\")\" '.files[\$n].sha256 | length == 64' '$BACKUP_DIR/historical/.mysqlpitr-manifest.json' >/dev/null" _ "$file"
expect_exit 0 mp verify "$BACKUP_DIR/historical"

sql "DROP DATABASE $QDB; DROP DATABASE plain"
gzip -dc "$file" | sql
check "the plain client restored without error" test $? -eq 0
gzip -dc "$BACKUP_DIR"/historical/plain-back_*.sql.gz | sql
after=$(state "$DB")
if [ "$before" = "$after" ]; then pass "checksums, counts and definitions are identical after the round trip"; else
  fail "state differs after the round trip"; diff <(echo "$before") <(echo "$after") | head -40; fi

# The same through zstd and uncompressed output.
sql "ALTER SEQUENCE $QDB.seq1 RESTART WITH 110"
for compression in zstd none; do
  rm -f "$BACKUP_DIR"/historical/*-back_*
  expect_exit 0 mp backup --kind historical --db "$DB" --compression "$compression" --jobs 1
  f=$(ls "$BACKUP_DIR"/historical/*-back_* | head -1)
  case $compression in zstd) reader="zstd -dc" ;; none) reader="cat" ;; esac
  check "$compression output has its suffix" bash -c "case '$f' in *.sql.zst|*.sql) true ;; *) false ;; esac"
  sql "DROP DATABASE $QDB"
  $reader "$f" | sql
  again=$(state "$DB")
  if [ "$before" = "$again" ]; then pass "$compression dump round-trips identically"; else
    fail "$compression dump differs"; diff <(echo "$before") <(echo "$again") | head -20; fi
  sql "ALTER SEQUENCE $QDB.seq1 RESTART WITH 110"
done

# The structure-only dump: every database's objects, no rows.
expect_exit 0 mp backup --kind schema
schema_file=$(ls "$BACKUP_DIR"/historical/back-no-data_*.sql.gz)
check "the schema dump has the legacy name" test -f "$schema_file"
check "the schema dump holds no rows" bash -c "! gzip -dc '$schema_file' | grep -q '^INSERT INTO'"
check "the schema dump holds the procedure" bash -c "gzip -dc '$schema_file' | grep -q 'CREATE DEFINER=.*PROCEDURE .proc; with semi.'"
# Definitions only: the rows' checksums go, and the counters that only rows advance.
definitions() { FINGERPRINT_AUTO_INCREMENT=ignore fingerprint "$1" | grep -Ev '^(table|checksum) '; }
table_rows() { fingerprint "$1" | sed -En 's/^table (.*) rows ([0-9]+)$/\1: \2 rows/p'; }
definitions_before=$(definitions "$DB")
empty_tables=$(table_rows "$DB" | sed -E 's/[0-9]+ rows$/0 rows/')
sql "DROP DATABASE $QDB; DROP DATABASE plain"
gzip -dc "$schema_file" | sql
check "the schema dump restores every table, view, routine, trigger and event as they were" \
  same_text "$(definitions "$DB")" "$definitions_before"
check "... and every table empty" same_text "$(table_rows "$DB")" "$empty_tables"
check "the schema dump restored the view over the view" test "$(sql "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='${DB//\'/\'\'}'")" = 2

harness_finish
