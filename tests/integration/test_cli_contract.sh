#!/usr/bin/env bash
# The command-line contract that crontabs and runbooks rely on (CLI.md): help, version, exit
# codes for usage errors, the --json envelope, --log-file, and completions that match the parser.
source "$(dirname "$0")/harness.sh"
B=$MYSQLPITR_BIN
SRC=${MYSQLPITR_SOURCE_DIR:-$(dirname "$0")/../..}

expect_exit 0 "$B" --version
check "--version prints the version" matches "$OUT" '^mysqlpitr [0-9]+\.[0-9]+\.[0-9]+$'

for command in prune check list "list backups" "config import-env" completion; do
  expect_exit 0 "$B" help $command
  help_text=$OUT
  expect_exit 0 "$B" $command --help
  check "help $command shows the same text as $command --help" test "$help_text" = "$OUT"
done

expect_exit 2 "$B" prune --older-than
expect_exit 2 "$B" list nothing
expect_exit 2 "$B" help no-such-command
expect_exit 2 "$B" --json prune
check "a usage error with --json is still one JSON document with ok=false and exit_code=2" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); assert d['ok'] is False and d['exit_code']==2 and d['errors'], d" "$OUT"
check "the usage error is one line on stderr" test "$(printf '%s\n' "$ERR" | wc -l)" -eq 1

# --log-file appends timestamped lines; --quiet keeps stderr for errors only.
mkdir -p "$HARNESS_TMP/h"
cat >"$HARNESS_TMP/c.toml" <<TOML
[paths]
historical = "$HARNESS_TMP/h"
TOML
expect_exit 0 "$B" -c "$HARNESS_TMP/c.toml" --quiet --log-file "$HARNESS_TMP/log" prune --older-than 1
check "--quiet prints nothing on stderr when all is well" test -z "$ERR"
expect_exit 2 "$B" -c "$HARNESS_TMP/c.toml" --log-file "$HARNESS_TMP/log" config show --nonexistent-flag
expect_exit 0 "$B" -c "$HARNESS_TMP/c.toml" --log-file "$HARNESS_TMP/log" -v config show
check "config show names the file a value came from" matches "$OUT" "paths.historical +$HARNESS_TMP/h +$HARNESS_TMP/c.toml:2"
check "--log-file holds timestamped lines" matches "$(cat "$HARNESS_TMP/log")" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+ '

# Global options are accepted after the command too.
expect_exit 0 "$B" prune --older-than 1 -c "$HARNESS_TMP/c.toml" --json
check "global options after the command work" python3 -c "import json,sys; assert json.loads(sys.argv[1])['ok']" "$OUT"

# The checked-in completion scripts are exactly what the binary generates.
for shell in bash zsh fish; do
  expected=$SRC/completions/mysqlpitr.$shell
  expect_exit 0 "$B" completion $shell
  check "completions/mysqlpitr.$shell matches \`mysqlpitr completion $shell\` (regenerate with scripts/update-completions)" \
    test "$OUT" = "$(cat "$expected" 2>/dev/null)"
done
bash -n "$SRC/completions/mysqlpitr.bash" && pass "bash completion parses" || fail "bash completion parses"
check "bash completion offers --kind values" bash -c "
source '$SRC/completions/mysqlpitr.bash'
COMP_WORDS=(mysqlpitr prune --what ''); COMP_CWORD=3; _mysqlpitr
[[ \" \${COMPREPLY[*]} \" == *' schema '* ]]"
check "bash completion offers commands" bash -c "
source '$SRC/completions/mysqlpitr.bash'
COMP_WORDS=(mysqlpitr pr); COMP_CWORD=1; _mysqlpitr
[[ \"\${COMPREPLY[*]}\" == 'prune' ]]"
# Every option and command the parser knows is documented in the man page, which lints clean.
man_page=$SRC/man/mysqlpitr.1
undocumented=()
options=$(grep -oE -- "--[a-z][a-z-]+" "$SRC/completions/mysqlpitr.bash" | sort -u)
check "the completions list the options the man page is checked against" test "$(wc -w <<<"$options")" -ge 30
for option in $options; do
  grep -qF -- "$(printf '%s' "$option" | sed 's/-/\\-/g')" "$man_page" || undocumented+=("option $option")
done
commands=$("$B" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/ {print $1}')
check "--help lists the commands the man page is checked against" test "$(wc -w <<<"$commands")" -ge 10
for command in $commands; do
  grep -qE "^\\.(SS|B) $(printf '%s' "$command" | sed 's/-/\\\\-/g')" "$man_page" || undocumented+=("command $command")
done
check "the man page documents every option and command (missing: ${undocumented[*]:-none})" test ${#undocumented[@]} -eq 0
if command -v mandoc >/dev/null; then
  check "mandoc -T lint is clean" test -z "$(mandoc -T lint "$man_page" 2>&1)"
else
  skip_check "mandoc -T lint is clean" "mandoc is not installed"
fi
harness_finish
