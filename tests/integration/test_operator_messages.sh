#!/usr/bin/env bash
# What an operator reads: --quiet is silent when all goes well (cron mails only failures) while
# data commands still print; --json stays one document even when libmongoc talks; paths.schema
# follows paths.historical; usage errors are one readable line (a mistyped command, a number out
# of range, a date that does not exist, a configuration folder); --yes never shows a menu; the
# restore-pitr plan shows progress on a terminal; a schema-only restore says the tables come back
# empty.
source "$(dirname "$0")/mongo_common.sh"
harness_start_mariadb

sql "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT);
     INSERT INTO shop.orders VALUES (1, 10), (2, 20), (3, 30);"
# Seconds in the date, so two backups a second apart are two files (prune has one to delete).
write_config "$CONFIG"
printf '\n[backup]\ndate_format = "%%Y-%%m-%%d_%%H-%%M-%%S"\n' >>"$CONFIG"
HIST=$BACKUP_DIR/historical

# Runs a command on a pseudo-terminal (stdin, stdout and stderr), without answering anything:
# prints what it showed (escapes and carriage returns removed) into $1, returns its exit code,
# or 124 when it waits for input for 15 s (a menu no one answers).
on_terminal() {
  local transcript=$1; shift
  python3 - "$transcript" "$@" <<'PY'
import os, pty, re, select, signal, sys, time
transcript, command = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
output, deadline, code = b"", time.monotonic() + 15, 124
while time.monotonic() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        output += data
done, status = os.waitpid(pid, os.WNOHANG)
while not done and time.monotonic() < deadline:
    time.sleep(0.05)
    done, status = os.waitpid(pid, os.WNOHANG)
if done:
    code = os.waitstatus_to_exitcode(status)
else:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
with open(transcript, "w", encoding="utf-8") as f:
    f.write(re.sub(r"\x1b\[[0-9;]*[A-Za-z]|\r", "\n", output.decode("utf-8", "replace")))
sys.exit(code)
PY
}

# --- --quiet: nothing at all on success, for every command cron.example runs -------------------
quiet_ok() {  # quiet_ok WHAT ARGS...: exit 0 and both streams empty
  local what=$1; shift
  expect_exit 0 mp --quiet --log-file "$HARNESS_TMP/cron.log" "$@"
  check "--quiet $what: nothing on stdout (was: '${OUT:0:80}')" test -z "$OUT"
  check "--quiet $what: nothing on stderr (was: '${ERR:0:80}')" test -z "$ERR"
}
quiet_ok "backup --kind historical" backup --kind historical
sleep 1.1
quiet_ok "backup --kind historical (second)" backup --kind historical
quiet_ok "backup --kind schema" backup --kind schema
quiet_ok "backup --kind pitr-base" backup --kind pitr-base
sql "INSERT INTO shop.orders VALUES (4, 40); FLUSH BINARY LOGS;"
quiet_ok "rotate-binlogs" rotate-binlogs
check "two historical dumps before prune" test "$(ls "$HIST"/shop-back_*.sql.gz | wc -l)" = 2
quiet_ok "--yes prune (deleting a dump)" --yes prune --older-than 0 --keep-last 1
check "prune --quiet did delete the older dump" test "$(ls "$HIST"/shop-back_*.sql.gz | wc -l)" = 1
check "the log file keeps the summaries --quiet hides" grep -q "file(s) written" "$HARNESS_TMP/cron.log"
check "the log file keeps the plan --quiet --yes hides" grep -q "backups to delete" "$HARNESS_TMP/cron.log"

# Data commands print what they were asked for, quiet or not.
expect_exit 0 mp --quiet list backups
check "--quiet list backups still lists" contains "$OUT" "shop-back_"
expect_exit 0 mp --quiet config show
check "--quiet config show still shows" contains "$OUT" "paths.historical"
expect_exit 0 mp --quiet --json backup --kind historical
check "--quiet --json still prints the JSON document" python3 -c "import json,sys; assert json.loads(sys.argv[1])['ok']" "$OUT"
check "--quiet --json: nothing on stderr (was: '${ERR:0:300}')" test -z "$ERR"

# --quiet backup --kind mongo, against the wire-protocol test double.
MONGO_CONFIG=$HARNESS_TMP/mongo.toml
mongo_start "$BACKUP_DIR/mongo"
mv "$CONFIG" "$MONGO_CONFIG"
write_config "$CONFIG"
printf '\n[backup]\ndate_format = "%%Y-%%m-%%d_%%H-%%M-%%S"\n' >>"$CONFIG"
mongo_mp() { "$MYSQLPITR_BIN" -c "$MONGO_CONFIG" "$@" </dev/null; }
# Something to back up (a backup of an empty server holds nothing for verify below to read).
expect_exit 0 mongo_mp --quiet --yes mongo-restore "$FIXTURES/oplogdump"
expect_exit 0 mongo_mp --quiet backup --kind mongo
check "--quiet backup --kind mongo: nothing on stdout (was: '${OUT:0:80}')" test -z "$OUT"
check "--quiet backup --kind mongo: nothing on stderr (was: '${ERR:0:80}')" test -z "$ERR"
# Every configured folder now holds backups (verify refuses an empty one: an unmounted disk).
quiet_ok "verify" verify

# --- --json with MongoDB unreachable: one parseable document, libmongoc's chatter elsewhere ----
CLOSED_PORT=$(free_port)
# A short server selection: libmongoc's monitor logs every half second meanwhile.
cat >"$HARNESS_TMP/nomongo.toml" <<TOML
[mongo]
uri = "mongodb://127.0.0.1:$CLOSED_PORT/?serverSelectionTimeoutMS=2000&connectTimeoutMS=500"
backup_dir = "$BACKUP_DIR/mongo"
TOML
chmod 600 "$HARNESS_TMP/nomongo.toml"
for args in "backup --kind mongo" "-v backup --kind mongo" "--yes mongo-restore $FIXTURES/oplogdump"; do
  # shellcheck disable=SC2086
  "$MYSQLPITR_BIN" -c "$HARNESS_TMP/nomongo.toml" --json $args </dev/null >"$HARNESS_TMP/json.out" 2>"$HARNESS_TMP/json.err"
  code=$?
  check "--json $args with MongoDB unreachable fails (exit $code)" test "$code" -ne 0
  check "--json $args with MongoDB unreachable: stdout is one JSON document ($(head -c 120 "$HARNESS_TMP/json.out" | tr '\n' ' '))" \
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['ok'] is False and d['errors'], d" "$HARNESS_TMP/json.out"
done

# --- paths.schema follows paths.historical, and config show says so ----------------------------
cat >"$HARNESS_TMP/noschema.toml" <<TOML
[paths]
historical = "$HARNESS_TMP/dumps"
TOML
expect_exit 0 "$MYSQLPITR_BIN" -c "$HARNESS_TMP/noschema.toml" config show
check "config show: paths.schema is paths.historical's value, with that origin" \
  matches "$OUT" "paths\.schema +$HARNESS_TMP/dumps +default \(paths\.historical\)"
check "config show: paths.pitr_base keeps its documented default" \
  matches "$OUT" "paths\.pitr_base +/mnt/backup/mysql/incremental +default"
expect_exit 0 "$MYSQLPITR_BIN" -c "$HARNESS_TMP/noschema.toml" --json config show
check "config show --json: the same value and origin" test \
  "$(jq -r '.settings["paths.schema"] | .value + " " + .origin' <<<"$OUT")" = "$HARNESS_TMP/dumps default (paths.historical)"

# --- usage errors a person can read --------------------------------------------------------------
one_line() { test "$(printf '%s\n' "$1" | wc -l)" -eq 1; }
expect_exit 2 mp bakup --kind historical
check "a mistyped command: did you mean \`backup\`? ($ERR)" contains "$ERR" 'did you mean `backup`?'
check "a mistyped command: one line" one_line "$ERR"
expect_exit 2 mp list bakups
check "a mistyped subcommand: did you mean \`list backups\`? ($ERR)" contains "$ERR" 'did you mean `list backups`?'
expect_exit 2 mp --json rotate-binlog
check "a mistyped command with --json: one JSON document naming rotate-binlogs" \
  python3 -c "import json,sys; d=json.loads(sys.argv[1]); assert 'rotate-binlogs' in d['errors'][0], d" "$OUT"

for args in "backup --jobs 0" "backup --jobs 99999999999999999999" "backup --jobs -3" "backup --jobs 2x" \
  "restore-historical --db shop --jobs 0" "prune --older-than -1" "prune --older-than 7 --keep-last 99999999999999999999" \
  "restore-pitr --db shop --group-transactions 0" "mongo-restore --jobs 0"; do
  # shellcheck disable=SC2086
  expect_exit 2 mp $args
  check "$args: one short line saying the range (${#ERR} chars: ${ERR:0:100})" \
    bash -c '[ ${#1} -lt 160 ] && [ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && [[ "$1" == *"must be a whole number from "*" to "* ]]' _ "$ERR"
done

for when in "2026-02-30 10:00:00" "2026-04-31 10:00:00" "2026-01-01 24:00:00" "2026-13-01 10:00:00" "2026-01-01 -1:00:00"; do
  expect_exit 2 mp restore-pitr --db shop --stop-datetime "$when" --dry-run
  check "--stop-datetime '$when' is refused as a date that does not exist ($ERR)" contains "$ERR" "not a real date"
done
FIRST_BINLOG=$(ls "$BACKUP_DIR/binlogs"/mysql-bin.0* | head -1)
expect_exit 2 mp binlogs show "$FIRST_BINLOG" --stop-datetime "2026-02-30 10:00:00"
check "binlogs show --stop-datetime 2026-02-30 is refused ($ERR)" contains "$ERR" "not a real date"
expect_exit 2 mp restore-historical --db shop --date 2026-02-30 --dry-run
check "restore-historical --date 2026-02-30 says there is no such date ($ERR)" contains "$ERR" "no such date"

expect_exit 2 "$MYSQLPITR_BIN" -c "$HARNESS_TMP" config show
check "-c FOLDER: one line naming the folder ($ERR)" bash -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && [[ "$1" == *"$2"*folder* ]]' _ "$ERR" "$HARNESS_TMP"

# --- --yes shows no menu, even on a terminal ----------------------------------------------------
on_terminal "$HARNESS_TMP/yes.tty" "$MYSQLPITR_BIN" -c "$CONFIG" --yes restore-historical
code=$?
check "--yes restore-historical without FILE on a terminal exits 2 (got $code)" test "$code" = 2
check "--yes shows no menu ($(head -c 200 "$HARNESS_TMP/yes.tty" | tr '\n' ' '))" bash -c '! grep -qE "^ *1\) " "$1"' _ "$HARNESS_TMP/yes.tty"
check "--yes names the option to pass" grep -q -- "--db NAME" "$HARNESS_TMP/yes.tty"
on_terminal "$HARNESS_TMP/yes-pitr.tty" "$MYSQLPITR_BIN" -c "$CONFIG" --yes restore-pitr
code=$?
check "--yes restore-pitr without --db on a terminal exits 2 (got $code) saying --yes asks nothing" \
  bash -c '[ "$1" = 2 ] && grep -q -- "--db NAME is required: --yes asks no questions" "$2"' _ "$code" "$HARNESS_TMP/yes-pitr.tty"
expect_exit 2 mp restore-pitr
check "restore-pitr without --db and without a terminal names the option" contains "$ERR" "--db NAME is required (no terminal"

# --- restore-pitr's plan shows progress on a terminal, never without one -----------------------
on_terminal "$HARNESS_TMP/plan.tty" "$MYSQLPITR_BIN" -c "$CONFIG" --yes restore-pitr --db shop --dry-run
code=$?
check "restore-pitr --dry-run on a terminal exits 0 (got $code)" test "$code" = 0
check "the plan's binlog reading shows progress on a terminal" grep -q "planning: reading the binlogs" "$HARNESS_TMP/plan.tty"
expect_exit 0 mp restore-pitr --db shop --dry-run
check "no progress line without a terminal" bash -c '! grep -q "planning:" <<<"$1"' _ "$OUT$ERR"

# --- a schema-only restore says the tables come back empty --------------------------------------
SCHEMA_DUMP=$(ls "$HIST"/back-no-data_*.sql.gz | head -1)
expect_exit 0 mp --json restore-historical "$SCHEMA_DUMP" --into shop_schema --dry-run
check "the schema-only plan says so in JSON" test "$(jq -r .plan.schema_only <<<"$OUT")" = true
expect_exit 0 mp --yes restore-historical "$SCHEMA_DUMP" --into shop_schema
check "the schema-only plan says the tables come back EMPTY" contains "$ERR" "tables come back EMPTY"
check "and they do: shop_schema.orders is empty" test "$(sql "SELECT COUNT(*) FROM shop_schema.orders")" = 0
expect_exit 0 mp --yes restore-historical --db shop --into shop_copy
check "a dump with rows does not say schema only" bash -c '! grep -q "SCHEMA ONLY" <<<"$1"' _ "$ERR"
check "its rows are back" test "$(sql "SELECT COUNT(*) FROM shop_copy.orders")" = 4

harness_finish
