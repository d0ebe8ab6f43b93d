#!/usr/bin/env bash
# Encryption at rest of MySQL dumps (historical, schema, PITR bases), locally and in the bucket:
# with encryption.key_file set every dump is written encrypted (".enc", a header naming the key id,
# no readable SQL in it) and restores to the same data; a changed, cut, reordered or extended file
# is refused with exit 1 before anything is dropped; no key or the wrong key is exit 5 naming the
# key id needed; old keys stay readable after a rotation; prune never counts a dump no configured
# key reads as the one it keeps.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
source "$(dirname "$0")/pitr_lib.sh"
FINGERPRINT_AUTO_INCREMENT=

# Enough rows for a dump of several 64 KiB encrypted chunks.
sql "CREATE DATABASE shop"
sql -D shop "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(80), b VARBINARY(16), note TEXT)
       ENGINE=InnoDB;
     INSERT INTO shop.items SELECT seq, SHA2(seq, 256), UNHEX(MD5(seq)), CONCAT('línea ', seq, '\\t\\n', REPEAT('x', seq % 7))
       FROM seq_1_to_20000;
     CREATE TABLE shop.tiny (k INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB; INSERT INTO shop.tiny VALUES (1,'a'),(2,NULL);"
HIST=$BACKUP_DIR/historical
BASES=$BACKUP_DIR/incremental
encrypted_config
ORIGINAL=$(fingerprint shop)

echo "# an encrypted historical dump"
expect_exit 0 mpe backup --kind historical --db shop --json
NAME=$(cd "$HIST" && ls shop-back_*.sql.gz.enc | head -1)
FILE=$HIST/$NAME
check "the dump is named <legacy name>.enc" test -s "$FILE"
check "no unencrypted dump was written beside it" test -z "$(cd "$HIST" && ls shop-back_*.sql.gz 2>/dev/null)"
check "the file starts with the encryption header" test "$(head -c 8 "$FILE")" = MPITRENC
check "the header names the key id, never the key" test "$(od -An -tx1 -j16 -N8 "$FILE" | tr -d ' \n')" = "$KEY_ID"
check "the file is no gzip stream" bash -c '! gzip -t <"$1" 2>/dev/null' _ "$FILE"
check "no row of the table can be read in it" bash -c '! grep -aq "$(printf %s "$2")" "$1"' _ "$FILE" "$(sql "SELECT name FROM shop.items WHERE id=1")"
check "the report and the manifest name the key id" python3 -c "
import json, sys
m = json.load(open(sys.argv[1]))
assert m['files']['$NAME']['encryption_key_id'] == '$KEY_ID', m" "$HIST/.mysqlpitr-manifest.json"

echo "# list and verify"
expect_exit 0 mpe --json list backups
check "list marks the dump encrypted" python3 -c "
import json, sys
items = json.loads(sys.argv[1])['backups']
assert [i['encrypted'] for i in items if i['path'].endswith('$NAME')] == [True], items" "$OUT"
expect_exit 0 mpe list backups
check "list's table says encrypted" matches "$OUT" "encrypted +$FILE"
expect_exit 0 mpe verify "$FILE"
check "verify with the key authenticates it" matches "$OUT"$'\n'"$ERR" "^ok +$FILE"
expect_exit 1 mp verify "$FILE"
check "verify without a key fails naming the key id it needs" contains "$OUT"$'\n'"$ERR" "$KEY_ID"

echo "# restore-historical decrypts on the fly"
expect_exit 0 mpe --yes restore-historical "$FILE" --into shop_r
check "the restored copy is the original" same_text "$(fingerprint shop_r)" "$ORIGINAL"
sql "INSERT INTO shop_r.tiny VALUES (3,'marker')"
MARKED=$(fingerprint shop_r)

echo "# no key, the wrong key: exit 5 naming the key id, before anything is touched"
expect_exit 5 mp --yes restore-historical "$FILE" --into shop_r --replace
check "without a key the error names the key id and the setting" bash -c '[[ "$1" == *"$2"* && "$1" == *encryption.key_file* ]]' _ "$ERR" "$KEY_ID"
check "shop_r untouched" same_text "$(fingerprint shop_r)" "$MARKED"
OTHER=$HARNESS_TMP/other.key
expect_exit 0 mp config new-key "$OTHER"
WRONG=$HARNESS_TMP/wrong.toml
write_config "$WRONG"
printf '[encryption]\nkey_file = "%s"\n' "$OTHER" >>"$WRONG"
expect_exit 5 "$MYSQLPITR_BIN" -c "$WRONG" --yes restore-historical "$FILE" --into shop_r --replace </dev/null
check "the wrong key: the error names the key id needed" contains "$ERR" "$KEY_ID"
check "shop_r untouched" same_text "$(fingerprint shop_r)" "$MARKED"

echo "# tampering: each refused with exit 1 before anything is dropped"
# Without the manifest (a copy taken elsewhere) only the encryption can tell.
LOOSE=$HARNESS_TMP/loose
mkdir -p "$LOOSE"
CHUNK=$((65536 + 17))
SIZE=$(stat -c %s "$FILE")
check "the dump spans several chunks" test "$SIZE" -gt $((88 + 3 * CHUNK))
tampered() {  # tampered NAME: a copy of the dump to doctor, in a folder without manifest
  cp "$FILE" "$LOOSE/$1"
  echo "$LOOSE/$1"
}
refused() {  # refused WHAT FILE PATTERN
  expect_exit 1 mpe --yes restore-historical "$2" --into shop_r --replace
  check "$1: refused, naming the damage" matches "$ERR" "$3"
  check "$1: shop_r untouched" same_text "$(fingerprint shop_r)" "$MARKED"
}
T=$(tampered flipped.sql.gz.enc)
flip_bit "$T" $((88 + CHUNK + 100))
refused "a flipped bit" "$T" "chunk 2 .*does not authenticate"
T=$(tampered cut.sql.gz.enc)
truncate -s $((88 + 2 * CHUNK)) "$T"
refused "a file cut at a chunk boundary" "$T" "without the final one: the file is truncated"
T=$(tampered swapped.sql.gz.enc)
python3 - "$T" "$CHUNK" <<'PY'
import sys
path, chunk = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, 'rb').read())
a, b = 88, 88 + chunk
data[a:a + chunk], data[b:b + chunk] = data[b:b + chunk], data[a:a + chunk]
open(path, 'wb').write(data)
PY
refused "two chunks swapped" "$T" "chunk 1 .*does not authenticate"
T=$(tampered extended.sql.gz.enc)
tail -c "$CHUNK" "$FILE" >>"$T"
refused "data after the final chunk" "$T" "follows the final encrypted chunk|chunk [0-9]+ .*does not authenticate"
T=$(tampered header.sql.gz.enc)
printf '\x01' | dd of="$T" bs=1 seek=13 conv=notrunc status=none
refused "a changed chunk size in the header" "$T" "does not authenticate|cut short|damaged"
T=$(tampered plain.sql.gz.enc)
printf 'CREATE TABLE forged (a INT);\n-- Dump completed on 2026-12-04\n' | gzip >"$T"
refused "an unencrypted file under an encrypted name" "$T" "named as encrypted but holds no encryption header"
cp "$FILE" "$LOOSE/$NAME"
expect_exit 0 mpe --yes restore-historical "$LOOSE/$NAME" --into shop_r --replace
check "the untouched copy without manifest restores" same_text "$(fingerprint shop_r)" "$ORIGINAL"

echo "# schema dumps and PITR bases, and a PITR to a stop time from an encrypted base"
expect_exit 0 mpe backup --kind schema
check "the schema dump is encrypted" test "$(head -c 8 "$(ls "$HIST"/back-no-data_*.sql.gz.enc | head -1)")" = MPITRENC
make_pitr_base shop  # a plain base from before encryption was turned on
expect_exit 0 mpe backup --kind pitr-base --db shop
check "the encrypted base replaced the plain one" bash -c 'test -s "$1/shop-back.sql.enc" && test ! -e "$1/shop-back.sql"' _ "$BASES"
check "the base is encrypted" test "$(head -c 8 "$BASES/shop-back.sql.enc")" = MPITRENC
expect_exit 0 mpe --json list bases
check "list bases reads the encrypted base's coordinates" python3 -c "
import json, sys
b = json.loads(sys.argv[1])['bases']
assert len(b) == 1 and b[0]['encrypted'] and b[0]['coordinates']['file'].startswith('mysql-bin'), b" "$OUT"
expect_exit 0 mp list bases
check "without the key, list bases says the coordinates are unread, not missing" matches "$OUT" "unread \(encrypted: configure its key\) +$BASES/shop-back.sql.enc"
sql "UPDATE shop.tiny SET v='before' WHERE k=1; INSERT INTO shop.items VALUES (20001,'pitr',NULL,'kept')"
sleep 1.1
STOP=$(sql "SELECT NOW()")
AT_STOP=$(fingerprint shop)
sleep 1.1
sql "DELETE FROM shop.items WHERE id <= 100; UPDATE shop.tiny SET v='after'"
expect_exit 0 mpe --yes restore-pitr --db shop --into shop_p --stop-datetime "$STOP"
check "PITR from the encrypted base reaches the stop time exactly" same_text "$(fingerprint shop_p)" "$AT_STOP"
expect_exit 5 mp --yes restore-pitr --db shop --into shop_p --replace --stop-datetime "$STOP"
check "restore-pitr without the key names the key id" contains "$ERR" "$KEY_ID"

echo "# key rotation: a new key writes, the old one still reads"
ROTATED=$HARNESS_TMP/rotated.toml
write_config "$ROTATED"
printf '[encryption]\nkey_file = "%s"\nold_key_files = ["%s"]\n' "$OTHER" "$KEY" >>"$ROTATED"
expect_exit 0 "$MYSQLPITR_BIN" -c "$ROTATED" --yes restore-historical "$FILE" --into shop_r --replace </dev/null
check "a dump of the old key restores after the rotation" same_text "$(fingerprint shop_r)" "$ORIGINAL"

echo "# prune keeps the newest dump a configured key reads"
cp "$FILE" "$HARNESS_TMP/old-dump"
rm -f "$HIST"/* "$HIST"/.mysqlpitr-manifest.json
cp "$HARNESS_TMP/old-dump" "$HIST/shop-back_2020-01-01_00-00.sql.gz.enc"   # old, the site's key
touch -d '2020-01-01' "$HIST/shop-back_2020-01-01_00-00.sql.gz.enc"
"$MYSQLPITR_BIN" -c "$WRONG" backup --kind historical --db shop </dev/null >/dev/null  # new, a key the site lost
NEWEST=$(cd "$HIST" && ls shop-back_*.sql.gz.enc | grep -v 2020 | head -1)
check "the newer dump is encrypted with the other key" test -n "$NEWEST"
expect_exit 0 mpe --yes prune --older-than 7 --what historical
check "prune kept the old dump the configured key reads" test -e "$HIST/shop-back_2020-01-01_00-00.sql.gz.enc"
check "prune named why the newer one does not count" contains "$OUT"$'\n'"$ERR" "$NEWEST"

echo "# mode s3: the object in the bucket is encrypted, and restores from there"
start_s3
S3=$HARNESS_TMP/s3.toml
write_config "$S3"
append_s3_config "$S3" s3
printf '[encryption]\nkey_file = "%s"\n' "$KEY" >>"$S3"
rm -f "$HIST"/* "$HIST"/.mysqlpitr-manifest.json
expect_exit 0 "$MYSQLPITR_BIN" -c "$S3" backup --kind historical --db shop </dev/null
OBJECT=$(aws_s3 ls "s3://$S3_BUCKET/historical/" | awk '{print $4}' | grep '^shop-back_.*\.sql\.gz\.enc$' | head -1)
check "the bucket holds the dump under its .enc name" test -n "$OBJECT"
check "the object starts with the encryption header" test "$(aws_s3 cp "s3://$S3_BUCKET/historical/$OBJECT" - | head -c 8)" = MPITRENC
expect_exit 0 "$MYSQLPITR_BIN" -c "$S3" --yes restore-historical --db shop --into shop_s </dev/null
check "the restore from the bucket decrypts on the fly" same_text "$(sql "SELECT COUNT(*), SUM(CRC32(name)) FROM shop_s.items")" "$(sql "SELECT COUNT(*), SUM(CRC32(name)) FROM shop.items")"
expect_exit 0 "$MYSQLPITR_BIN" -c "$S3" verify </dev/null
check "verify (mode s3: the bucket) authenticates the encrypted object" matches "$OUT"$'\n'"$ERR" "^ok +.*$OBJECT"

harness_finish
