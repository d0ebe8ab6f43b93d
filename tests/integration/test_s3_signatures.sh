#!/usr/bin/env bash
# Every request mysqlpitr sends to the bucket is signed as S3 requires: s3rver checks no signature,
# so the requests go through tests/tools/s3_fault_proxy.py --sigv4-secret, which rebuilds each
# request's SigV4 canonical form from what arrived and checks the signature and the body's SHA-256
# as S3 does (the aws client's requests pass it: the oracle for the checker). Covered: check's
# probe, single and multipart uploads (a dump over one part), a key that needs encoding (a database
# named "we+ird %db"), listings, HEAD, ranged GETs (restore-pitr reads binlogs by range), DELETE;
# a wrong secret is refused with SignatureDoesNotMatch and never printed.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
source "$(dirname "$0")/pitr_lib.sh"
start_s3
start_s3_fault_proxy --sigv4-secret "$S3_SECRET_KEY"

echo "# the checker: the reference client's requests pass, a wrong secret's do not"
printf 'hi' >"$HARNESS_TMP/probe"
AWS_ENDPOINT=$S3_PROXY_ENDPOINT expect_exit 0 aws_s3 cp --only-show-errors "$HARNESS_TMP/probe" "s3://$S3_BUCKET/aws/a b+c%.txt"
AWS_ENDPOINT=$S3_PROXY_ENDPOINT expect_exit 0 aws_s3 ls "s3://$S3_BUCKET/aws/"
check "the aws client's signatures pass the checker" test "$(proxy_faults signature)" = 0
S3_SECRET_KEY=not-the-secret AWS_ENDPOINT=$S3_PROXY_ENDPOINT expect_exit 254 aws_s3 ls "s3://$S3_BUCKET/aws/"
check "a wrong secret's signature is refused by the checker" test "$(proxy_faults signature)" = 1
aws_s3 rm --quiet --recursive "s3://$S3_BUCKET/aws/"

S3CONFIG=$HARNESS_TMP/s3.toml
write_config "$S3CONFIG"
append_s3_config "$S3CONFIG" s3 "$S3_PROXY_ENDPOINT"
printf 'part_size = "5MiB"\n' >>"$S3CONFIG"
mps() { "$MYSQLPITR_BIN" -c "$S3CONFIG" "$@" </dev/null; }

# A database whose keys need encoding, and one whose dump is more than one 5 MiB part.
sql "CREATE DATABASE \`we+ird %db\`; CREATE TABLE \`we+ird %db\`.t (id INT PRIMARY KEY, v VARCHAR(20));
     INSERT INTO \`we+ird %db\`.t VALUES (1, 'one'), (2, 'two');
     CREATE DATABASE big; CREATE TABLE big.t (id INT PRIMARY KEY, v TEXT);
     INSERT INTO big.t VALUES (1, CONCAT(SHA2(RAND(), 512), SHA2(RAND(), 512)));
     $(for _ in $(seq 16); do printf 'SET @m = (SELECT MAX(id) FROM big.t); INSERT INTO big.t SELECT id + @m, CONCAT(SHA2(RAND(), 512), SHA2(RAND(), 512)) FROM big.t; '; done)"

echo "# mysqlpitr through the checker"
expect_exit 0 mps check
expect_exit 0 mps backup --kind historical
expect_exit 0 mps backup --kind pitr-base --db "we+ird %db"
sql "INSERT INTO \`we+ird %db\`.t VALUES (3, 'three'); FLUSH BINARY LOGS; UPDATE \`we+ird %db\`.t SET v = 'TWO' WHERE id = 2"
expect_exit 0 mps rotate-binlogs
LAST_CLOSED=$(sql "SHOW BINARY LOGS" | cut -f1 | tail -2 | head -1)
# The archive emptied: restore-pitr must read the base and the binlogs from the bucket.
find "$BACKUP_DIR/binlogs" -mindepth 1 -name 'mysql-bin.*' -delete
sql "PURGE BINARY LOGS TO '$(sql "SHOW MASTER STATUS" | cut -f1)'"
WANT=$(sql "SELECT GROUP_CONCAT(id, v ORDER BY id) FROM \`we+ird %db\`.t")
expect_exit 0 mps --yes restore-pitr --db "we+ird %db" --into pitr_copy --until-binlog "$LAST_CLOSED"
check "restore-pitr from the bucket brings the rows back" test "$(sql "SELECT GROUP_CONCAT(id, v ORDER BY id) FROM pitr_copy.t")" = "$WANT"
expect_exit 0 mps list backups
expect_exit 0 mps verify
sql "DROP DATABASE big"
expect_exit 0 mps --yes restore-historical --db big
check "the multipart dump restores every row" test "$(sql "SELECT COUNT(*) FROM big.t")" = 65536
expect_exit 0 mps --yes prune --older-than 1

check "no request of mysqlpitr failed the signature check" test "$(proxy_faults signature)" = 1
requests() { grep -c -E "^PASS [0-9]+ $1 " "$S3_PROXY_LOG"; }
check "multipart part uploads were checked ($(grep -c 'partNumber=' "$S3_PROXY_LOG"))" test "$(grep -c 'PUT .*partNumber=' "$S3_PROXY_LOG")" -ge 2
check "multipart starts and completions were checked" test "$(requests POST)" -ge 2
check "single-part PUTs, GETs, HEADs and DELETEs were checked" \
  test "$(requests PUT)" -ge 5 -a "$(requests GET)" -ge 5 -a "$(requests HEAD)" -ge 1 -a "$(requests DELETE)" -ge 1
check "the encoded key was signed right" grep -q -E "^PASS [0-9]+ PUT /$S3_BUCKET/historical/we%2Bird%20%2525db-back_" "$S3_PROXY_LOG"

echo "# a wrong secret: refused by the server's check, named, never printed"
BADKEY=$HARNESS_TMP/badkey.toml
sed "s/^secret_key = .*/secret_key = \"not-the-secret-9f3\"/" "$S3CONFIG" >"$BADKEY"
chmod 600 "$BADKEY"
expect_exit 5 "$MYSQLPITR_BIN" -c "$BADKEY" check
check "check names the server's reason" matches "$OUT" "^FAIL +s3 bucket .*SignatureDoesNotMatch"
check "the wrong secret is never printed" bash -c '[[ "$1$2" != *not-the-secret-9f3* ]]' _ "$OUT" "$ERR"
check "the checker refused it" test "$(proxy_faults signature)" -gt 1

harness_finish
