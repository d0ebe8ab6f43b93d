#!/usr/bin/env bash
# Configuration from TOML or a legacy .env, check against a real server, connection failures.
source "$(dirname "$0")/harness.sh"
harness_start_mariadb --binlog-format=ROW

expect_exit 0 mp check
check "check reports log_bin OK" matches "$OUT" "^OK +log_bin"
check "check reports the connection as the backup user" contains "$OUT" "as backup"

expect_exit 0 mp check --json
check "check --json lists items" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); items={i['item']:i['status'] for i in d['items']}
assert items['log_bin']=='OK' and items['connection']=='OK', items" "$OUT"

# The same settings from a legacy .env (quoted values with spaces, EXCLUDE_DB list).
sql "CREATE DATABASE shop; CREATE DATABASE crm; CREATE DATABASE \`Tmp Stuff\`"
ENV_FILE=$HARNESS_TMP/old.env
cat >"$ENV_FILE" <<ENV
# legacy settings
export MYSQL_USER="backup"
MYSQL_PASS='$MYSQL_PASSWORD'
MYSQL_HOST=127.0.0.1
DIR_DESTINO="$BACKUP_DIR/historical"
DIR_DESTINO_INC="$BACKUP_DIR/incremental"
EXCLUDE_DB="information_schema|performance_schema|mysql|sys|tmp stuff"
ENV
chmod 600 "$ENV_FILE"
export MYSQLPITR_MYSQL_PORT=$PORT
expect_exit 0 "$MYSQLPITR_BIN" -c "$ENV_FILE" list databases
check "the legacy .env connects and hides excluded databases case-insensitively" \
  test "$(echo "$OUT" | sort | tr '\n' ' ')" = "crm shop "

expect_exit 0 "$MYSQLPITR_BIN" config import-env "$ENV_FILE"
TOML_FILE=$HARNESS_TMP/imported.toml
echo "$OUT" >"$TOML_FILE"; chmod 600 "$TOML_FILE"
expect_exit 0 "$MYSQLPITR_BIN" -c "$TOML_FILE" list databases
check "the imported TOML gives the same databases" test "$(echo "$OUT" | sort | tr '\n' ' ')" = "crm shop "

chmod 644 "$ENV_FILE"
expect_exit 2 "$MYSQLPITR_BIN" -c "$ENV_FILE" list databases
check "a readable password file is refused with the chmod that fixes it" contains "$ERR" "chmod 600 $ENV_FILE"

# Wrong password: one clear line, exit 1.
WRONG=$HARNESS_TMP/wrong.toml
write_config "$WRONG"
sed -i 's/^password = .*/password = "nope"/' "$WRONG"
expect_exit 1 "$MYSQLPITR_BIN" -c "$WRONG" list databases
check "wrong password: access denied named, one line" bash -c '[[ "$1" == *"Access denied"* && $(printf "%s\n" "$1" | wc -l) -eq 1 ]]' _ "$ERR"
check "the password itself never appears in the message" bash -c '[[ "$1" != *"nope"* ]]' _ "$ERR"

# No server at all.
NOSERVER=$HARNESS_TMP/noserver.toml
write_config "$NOSERVER"
sed -i "s|^socket = .*|socket = \"$HARNESS_TMP/absent.sock\"|" "$NOSERVER"
expect_exit 1 "$MYSQLPITR_BIN" -c "$NOSERVER" list databases
check "no server: the socket is named" contains "$ERR" "absent.sock"
expect_exit 5 "$MYSQLPITR_BIN" -c "$NOSERVER" check
check "check reports the connection as FAIL" matches "$OUT" "^FAIL +connection"

# config new-key: a fresh key, mode 600, never replacing a file; check shows its id.
KEY=$HARNESS_TMP/keys/site.key
mkdir -p "$HARNESS_TMP/keys"
expect_exit 0 mp config new-key "$KEY" --json
KEY_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["key_id"])' "$OUT")
check "new-key writes 64 hex digits and a newline" grep -Eqx '[0-9a-f]{64}' "$KEY"
check "new-key's file is mode 600" test "$(stat -c %a "$KEY")" = 600
check "new-key reports a 16-digit key id, never the key" bash -c '[[ $2 =~ ^[0-9a-f]{16}$ && "$1" != *"$3"* ]]' _ "$OUT" "$KEY_ID" "$(cat "$KEY")"
KEY_BEFORE=$(sha256sum <"$KEY")
expect_exit 5 mp config new-key "$KEY"
check "an existing key file is never replaced" test "$(sha256sum <"$KEY")" = "$KEY_BEFORE"
check "the refusal names the file" contains "$ERR" "$KEY exists"
expect_exit 2 mp config new-key "$HARNESS_TMP/no-such-folder/site.key"
check "a missing folder is named" contains "$ERR" "no-such-folder"
ENCRYPTED=$HARNESS_TMP/encrypted.toml
write_config "$ENCRYPTED"
printf '[encryption]\nkey_file = "%s"\n' "$KEY" >>"$ENCRYPTED"
expect_exit 0 "$MYSQLPITR_BIN" -c "$ENCRYPTED" config show
check "config show names the key file, not the key" bash -c '[[ "$1" == *"encryption.key_file"*"$2"* && "$1" != *"$3"* ]]' _ "$OUT" "$KEY" "$(cat "$KEY")"
expect_exit 0 "$MYSQLPITR_BIN" -c "$ENCRYPTED" check
check "check shows the key id that encrypts new backups" matches "$OUT" "^OK +encryption .*key $KEY_ID"
chmod 644 "$KEY"
expect_exit 5 "$MYSQLPITR_BIN" -c "$ENCRYPTED" check
check "check fails a key file readable by others, naming the chmod that fixes it" matches "$OUT" "^FAIL +encryption .*chmod 600 $KEY"
LOGS_BEFORE=$(sql "SHOW BINARY LOGS" | wc -l)
expect_exit 2 "$MYSQLPITR_BIN" -c "$ENCRYPTED" rotate-binlogs
check "rotate-binlogs refuses a key file readable by others, naming it" contains "$ERR" "$KEY"
check "rotate-binlogs refused it before flushing anything" test "$(sql "SHOW BINARY LOGS" | wc -l)" = "$LOGS_BEFORE"
check "and archived nothing" test -z "$(ls "$BACKUP_DIR/binlogs" | grep -v '\.lock$' || true)"

harness_finish
