#!/usr/bin/env bash
# Encrypted MongoDB dumps (encryption.key_file), against the wire-protocol test double: every file of
# the dump folder is written encrypted ("<mongodump name>.enc", plain and gzip, locally and streamed
# to the bucket) with no document readable in it; mongo-restore decrypts on the fly and restores the
# very documents (a plain backup after it is byte-identical to one before); verify authenticates
# every file; a doctored file is refused before anything is dropped (exit 1); no key or the wrong
# key is exit 5 naming the key id.
source "$(dirname "$0")/mongo_common.sh"
[ -d "$FIXTURES" ] || skip "shared mongodump fixtures not found at $FIXTURES"
is_test_double || skip "needs the test double (byte-identical backups)"
BACKUP_DIR=$HARNESS_TMP/mongo
mongo_start "$BACKUP_DIR"
expect_exit 0 mp --yes mongo-restore "$FIXTURES/oplogdump"
# A collection whose name mongodump truncates in file names (the metadata holds the real one), and
# one whose escaped name fits a plain dump's 238 bytes but not an encrypted one's 234.
LONG=$(printf 'e%.0s' $(seq 1 300)) NEAR=$(printf 'n%.0s' $(seq 1 236))
mkdir -p "$HARNESS_TMP/long/db7"
python3 - "$HARNESS_TMP/long/db7" "$LONG" "$NEAR" <<'PY'
import base64, hashlib, struct, sys
folder, long_name, near = sys.argv[1:]
stem = long_name[:208] + "%24" + base64.urlsafe_b64encode(hashlib.sha1(long_name.encode()).digest()).decode().rstrip("=")
doc = b"\x10_id\x00" + struct.pack("<i", 5) + b"\x00"
for s, name in ((stem, long_name), (near, near)):
    open(f"{folder}/{s}.bson", "wb").write(struct.pack("<i", len(doc) + 4) + doc)
    open(f"{folder}/{s}.metadata.json", "w").write('{"indexes":[],"collectionName":"%s","type":"collection"}' % name)
PY
expect_exit 0 mp --yes mongo-restore "$HARNESS_TMP/long"

encrypted_config
newest() { ls -d "$BACKUP_DIR"/backup_* | sort | tail -1; }
# same_dump A B: the same files, byte for byte, but the collections' UUIDs (a restore creates the
# collections anew, and the test double gives each a new UUID).
same_dump() {
  diff -r --exclude='*.metadata.json' "$1" "$2" || return 1
  local f
  for f in $(cd "$1" && find . -name '*.metadata.json'); do
    diff <(sed 's/"uuid" : "[0-9a-f]*"//' "$1/$f") <(sed 's/"uuid" : "[0-9a-f]*"//' "$2/$f") || return 1
  done
}

echo "# the reference: a plain backup of what the server holds"
expect_exit 0 mp backup --kind mongo
REFERENCE=$(newest)
sleep 1.1

for compression in none gzip; do
  echo "# an encrypted backup ($compression)"
  expect_exit 0 mpe backup --kind mongo --compression "$compression"
  ENCRYPTED=$(newest)
  sleep 1.1
  check "every file of the dump is named .enc ($compression)" test -z "$(find "$ENCRYPTED" -type f ! -name '*.enc')"
  suffix=.bson.enc
  [ "$compression" = gzip ] && suffix=.bson.gz.enc
  check "db1's collection is there as c1$suffix" test -s "$ENCRYPTED/db1/c1$suffix"
  check "long collection names fit the file system with .enc (no name over 255 bytes)" \
    test "$(find "$ENCRYPTED/db7" -type f | wc -l)" = 4 -a -z "$(find "$ENCRYPTED" -type f -printf '%f\n' | awk 'length > 255')"
  check "every file starts with the encryption header" bash -c 'for f in $(find "$1" -type f); do [ "$(head -c 8 "$f")" = MPITRENC ] || exit 1; done' _ "$ENCRYPTED"
  check "no collection name can be read in the metadata files" bash -c '! grep -rqa "\"collectionName\"" "$1"' _ "$ENCRYPTED"
  expect_exit 0 mpe verify "$ENCRYPTED"
  check "verify with the key authenticates every file" matches "$OUT"$'\n'"$ERR" "^ok +$ENCRYPTED"
  expect_exit 1 mp verify "$ENCRYPTED"
  check "verify without the key fails naming the key id" contains "$OUT"$'\n'"$ERR" "$KEY_ID"
  expect_exit 0 mpe list mongo --json
  check "list counts the encrypted dump's collections" python3 -c "
import json, sys
b = [x for x in json.loads(sys.argv[1])['backups'] if x['path'] == sys.argv[2]]
assert b and b[0]['databases'], b" "$OUT" "$ENCRYPTED"

  echo "# mongo-restore decrypts; a plain backup afterwards is the reference byte for byte"
  expect_exit 0 mpe --yes mongo-restore "$(basename "$ENCRYPTED")"
  expect_exit 0 mp backup --kind mongo
  AFTER=$(newest)
  sleep 1.1
  check "the restored documents are the originals ($compression)" same_dump "$REFERENCE" "$AFTER"
  rm -rf "$AFTER"

  echo "# no key, the wrong key, a doctored file: refused before anything is dropped"
  expect_exit 5 mp --yes mongo-restore "$(basename "$ENCRYPTED")"
  check "without a key: exit 5 naming the key id" contains "$ERR" "$KEY_ID"
  OTHER=$HARNESS_TMP/other-$compression.key
  expect_exit 0 mp config new-key "$OTHER"
  WRONG=$HARNESS_TMP/wrong.toml
  cp "$CONFIG" "$WRONG"
  printf '[encryption]\nkey_file = "%s"\n' "$OTHER" >>"$WRONG"
  expect_exit 5 "$MYSQLPITR_BIN" -c "$WRONG" --yes mongo-restore "$(basename "$ENCRYPTED")" </dev/null
  check "the wrong key: exit 5 naming the key id needed" contains "$ERR" "$KEY_ID"
  FILE=$(find "$ENCRYPTED/db1" -name "c1$suffix")
  SIZE=$(stat -c %s "$FILE")
  flip_bit "$FILE" $((SIZE - 3))
  expect_exit 1 mpe --yes mongo-restore "$(basename "$ENCRYPTED")"
  check "a doctored file is refused, naming it" matches "$ERR" "c1$suffix.*(does not authenticate|truncated)"
  rm "$FILE"
  cp "$(find "$REFERENCE/db1" -name 'c1.bson*')" "$ENCRYPTED/db1/"  # a plain file in the encrypted one's place
  expect_exit 1 mpe --yes mongo-restore "$(basename "$ENCRYPTED")"
  check "a plain file among encrypted ones is refused, naming it" matches "$ERR" "c1\.bson.*not encrypted, but the dump's other files are"
  expect_exit 1 mpe verify "$ENCRYPTED"
  check "verify finds it too" contains "$OUT$ERR" "not encrypted, but the dump's other files are"
  expect_exit 0 mp backup --kind mongo
  AFTER=$(newest)
  sleep 1.1
  check "nothing was dropped: the server still holds the reference" same_dump "$REFERENCE" "$AFTER"
  rm -rf "$AFTER"
done

echo "# prune keeps the newest dump a configured key reads"
OLD=$BACKUP_DIR/backup_2020-01-01_00-00-00
mv "$ENCRYPTED" "$OLD"   # the gzip dump of the site's key, made old
touch -d 2020-01-01 "$OLD"
mkdir -p "$HARNESS_TMP/kept"
mv "$BACKUP_DIR"/backup_2026* "$HARNESS_TMP/kept/"   # the reference and the others, out of the way
"$MYSQLPITR_BIN" -c "$WRONG" backup --kind mongo </dev/null >/dev/null 2>&1   # newer, a key the site lost
LOST=$(newest)
check "the newer dump is encrypted with the other key" test -n "$(find "$LOST" -name '*.enc' | head -1)"
expect_exit 0 mpe --yes prune --older-than 7 --what mongo
check "prune kept the old dump the site's key reads" test -d "$OLD"
check "prune said why the newer one does not count" contains "$OUT"$'\n'"$ERR" "$(basename "$LOST")"
mv "$HARNESS_TMP/kept"/* "$BACKUP_DIR/"

echo "# mode s3: encrypted objects, restored from the bucket"
start_s3
append_s3_config "$ENC" s3
# db1 only: s3rver stores each object in a file named after its key plus a suffix, which db7's
# 251-byte names overflow (S3 itself takes keys of 1024 bytes).
expect_exit 0 mpe backup --kind mongo --db db1
OBJECT=$(aws_s3 ls --recursive "s3://$S3_BUCKET/mongo/" | awk '{print $4}' | grep '^mongo/backup_[^/]*/db1/c1\.bson\.enc$')
NAME=$(cut -d/ -f2 <<<"$OBJECT")
check "the collection's object is named .enc" test -n "$OBJECT"
check "the object starts with the encryption header" test "$(aws_s3 cp "s3://$S3_BUCKET/$OBJECT" - | head -c 8)" = MPITRENC
expect_exit 0 mpe --yes mongo-restore "$NAME"
expect_exit 0 mp backup --kind mongo
check "restored from the bucket: the reference byte for byte" same_dump "$REFERENCE" "$(newest)"

echo "# verify authenticates the bucket's encrypted objects, beyond their record"
rm -rf "$BACKUP_DIR"/backup_*   # the doctored local dumps above are not this part's business
expect_exit 0 mpe verify --json
check "verify finds the encrypted bucket dump whole" test "$(jq -r --arg n "s3://$S3_BUCKET/mongo/$NAME" '[.checked[] | select(.path==$n) | .ok] | join(",")' <<<"$OUT")" = true
# Someone with write access to the bucket but not the key alters the object and its record alike.
aws_s3 cp "s3://$S3_BUCKET/$OBJECT" "$HARNESS_TMP/forged" >/dev/null
flip_bit "$HARNESS_TMP/forged" 100
aws_s3 cp "$HARNESS_TMP/forged" "s3://$S3_BUCKET/$OBJECT" >/dev/null
aws_s3 cp "s3://$S3_BUCKET/mongo/.mysqlpitr-records/$NAME.json" "$HARNESS_TMP/record.json" >/dev/null
python3 - "$HARNESS_TMP/record.json" "$HARNESS_TMP/forged" <<'PY'
import hashlib, json, sys
record = json.load(open(sys.argv[1])); data = open(sys.argv[2], "rb").read()
for f in record["files"]:
    if f["path"] == "db1/c1.bson.enc":
        f["sha256"], f["size"] = hashlib.sha256(data).hexdigest(), len(data)
json.dump(record, open(sys.argv[1], "w"))
PY
aws_s3 cp "$HARNESS_TMP/record.json" "s3://$S3_BUCKET/mongo/.mysqlpitr-records/$NAME.json" >/dev/null
expect_exit 1 mpe verify
check "verify refuses the forged object, whose record matches it" matches "$ERR" "db1/c1\.bson\.enc.*does not authenticate"

harness_finish
