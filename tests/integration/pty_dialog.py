#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers its prompts, for tests of terminal menus.

  pty_dialog.py TRANSCRIPT STEPS -- COMMAND [ARG...]

STEPS is a file of lines `REGEX<TAB>ANSWER`: wait until the output since the previous step matches
REGEX, then type ANSWER and Enter. An ANSWER `{item:TEXT}` types the number of the menu line
`  N) ...TEXT...` (the last one shown). An ANSWER `{hold:DIR}TEXT` holds the command at that prompt:
it creates DIR/reached, waits (up to 120 s) until DIR/go exists, then types TEXT; a test runs
something else meanwhile. The whole output goes to TRANSCRIPT (terminal
escapes and carriage returns removed). Exits with the command's exit code; 124 when a prompt does
not come within 20 s or an `{item:}` is not on the menu (the command is killed then).
"""
import os
import pty
import re
import select
import signal
import sys
import time

TIMEOUT = 20.0


def main():
    transcript_path, steps_path = sys.argv[1], sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    steps = []
    with open(steps_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                pattern, _, answer = line.partition("\t")
                steps.append((re.compile(pattern, re.M), answer))

    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)

    output = ""
    mark = 0  # where the output of the current step starts

    def clean(text):
        return re.sub(r"\x1b\[[0-9;]*[A-Za-z]|\r", "", text)

    def read(timeout):
        nonlocal output
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            return False
        if not data:
            return False
        output += data.decode("utf-8", "replace")
        return True

    def give_up(reason):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        save()
        sys.stderr.write(f"pty_dialog: {reason}\n")
        sys.exit(124)

    def save():
        with open(transcript_path, "w", encoding="utf-8") as f:
            f.write(clean(output))

    for pattern, answer in steps:
        deadline = time.monotonic() + TIMEOUT
        while not pattern.search(clean(output[mark:])):
            if time.monotonic() > deadline or not read(0.2):
                if not pattern.search(clean(output[mark:])):
                    give_up(f"no output matching {pattern.pattern!r}")
        item = re.fullmatch(r"\{item:(.*)\}", answer)
        if item:
            lines = re.findall(r"^\s*(\d+)\) (.*)$", clean(output), re.M)
            numbers = [n for n, text in lines if item.group(1) in text]
            if not numbers:
                give_up(f"no menu line with {item.group(1)!r}")
            answer = numbers[-1]
        hold = re.fullmatch(r"\{hold:([^}]*)\}(.*)", answer)
        if hold:
            folder, answer = hold.group(1), hold.group(2)
            open(os.path.join(folder, "reached"), "w").close()
            deadline = time.monotonic() + 120
            while not os.path.exists(os.path.join(folder, "go")):
                if time.monotonic() > deadline:
                    give_up("nobody created " + os.path.join(folder, "go"))
                read(0.1)  # keeps the terminal drained while waiting
        mark = len(output)
        os.write(fd, (answer + "\n").encode())

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and read(0.5):
        pass
    # The terminal closes a moment before the process can be reaped.
    done, status = os.waitpid(pid, os.WNOHANG)
    while not done and time.monotonic() < deadline + 10:
        time.sleep(0.05)
        done, status = os.waitpid(pid, os.WNOHANG)
    if not done:
        give_up("the command did not finish")
    save()
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)


if __name__ == "__main__":
    main()
