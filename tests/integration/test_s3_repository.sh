#!/usr/bin/env bash
# The S3 repository against a real local S3 server (s3rver, started by the harness) with the aws
# client as the reference: `check` proves the bucket answers every operation a backup needs, and
# names what is wrong (endpoint, keys) without ever printing the secret.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb
start_s3

S3CONFIG=$HARNESS_TMP/s3.toml
write_config "$S3CONFIG"
append_s3_config "$S3CONFIG" both
mps() { "$MYSQLPITR_BIN" -c "$S3CONFIG" "$@" </dev/null; }

echo "# check: the bucket"
expect_exit 0 mps check
check "check reports the bucket OK" matches "$OUT" "^OK +s3 bucket +s3://$S3_BUCKET"
check "the probe object is gone from the bucket" test -z "$(aws_s3 ls "s3://$S3_BUCKET" --recursive)"
expect_exit 0 mps check --json
check "check --json has the bucket item" python3 -c "
import json, sys
items = {i['item']: i for i in json.loads(sys.argv[1])['items']}
assert items['s3 bucket']['status'] == 'OK', items" "$OUT"

BADKEY=$HARNESS_TMP/badkey.toml
# s3rver knows one key id and does not check signatures: an unknown key id is what it refuses.
sed -e "s/^secret_key = .*/secret_key = \"not-the-secret-9f3\"/" -e "s/^access_key = .*/access_key = \"NOSUCHKEY\"/" \
  "$S3CONFIG" >"$BADKEY"
chmod 600 "$BADKEY"
expect_exit 5 "$MYSQLPITR_BIN" -c "$BADKEY" check
check "unknown keys fail the bucket item, with the server's reason" matches "$OUT" "^FAIL +s3 bucket .*(InvalidAccessKeyId|Access Key Id)"
check "the wrong secret is never printed" bash -c '[[ "$1$2" != *not-the-secret-9f3* ]]' _ "$OUT" "$ERR"

NOWHERE=$HARNESS_TMP/nowhere.toml
write_config "$NOWHERE"
append_s3_config "$NOWHERE" s3 "http://127.0.0.1:9"
expect_exit 5 "$MYSQLPITR_BIN" -c "$NOWHERE" check
check "an endpoint that does not answer fails the bucket item, naming it" \
  matches "$OUT" "^FAIL +s3 bucket .*127\.0\.0\.1( port |:)9"
expect_exit 0 mp check
check "a local repository has no bucket item" bash -c '! grep -q "s3 bucket" <<<"$1"' _ "$OUT"

harness_finish
