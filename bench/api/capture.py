#!/usr/bin/env python3
"""capture.py - turn what one request ran on PostgreSQL into a pgbench script (bench/run.sh).

  capture.py LOG OFFSET [PREFIX_FILE] > scenario.sql

LOG is the instance's postgresql.log written with log_min_duration_statement = 0; OFFSET the byte
offset where the request began. Every `execute NAME: SQL` line with its `DETAIL:  parameters:`
becomes one statement with the parameters written in as literals (so pgbench -M prepared plans the
same statement with the same values). PREFIX_FILE, if given, is put first (the session lookup that
the workers' session cache saves on most requests, counted in as the endpoint's original work).

pgbench reads `:name` as a variable anywhere, also inside string literals ('HH24:MI'): a colon
inside a literal is written as ('…' || chr(58) || '…') instead, which the planner folds back into
the same text (a cast after it then applies to the whole).
"""
import re
import sys

EXEC = re.compile(r"(?:LOG|ERROR):\s+(?:duration: [0-9.]+ ms\s+)?execute ([^:]+): (.*)$")
PARAMS = re.compile(r"DETAIL:\s+parameters: (.*)$")
# the prefix carries the session lookup; the mailer's poll is another process's
SKIP = ("auth_session_touch", "auth_session", "mail_claim")


def parse_params(text):
    """'$1 = 'a''b', $2 = NULL' -> {1: "'a''b'", 2: 'NULL'}"""
    out, i = {}, 0
    while i < len(text):
        m = re.compile(r"\s*,?\s*\$(\d+) = ").match(text, i)
        if not m:
            break
        n, i = int(m.group(1)), m.end()
        if text.startswith("NULL", i):
            out[n], i = "NULL", i + 4
            continue
        j = i + 1
        while True:
            j = text.index("'", j)
            if text.startswith("''", j):
                j += 2
                continue
            break
        out[n], i = text[i:j + 1], j + 1
    return out


STAMP = re.compile(r"'(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-]\d{2})?(?::?(\d{2}))?'")


def colons_out_of_literals(sql):
    out, i, n = [], 0, len(sql)
    while i < n:
        if sql[i] == "'":
            j = i + 1
            while True:
                j = sql.index("'", j)
                if sql.startswith("''", j):
                    j += 2
                    continue
                break
            # a timestamp keeps its type (unknown until used) in the ISO basic form: 08:26:11 -> 082611
            lit = STAMP.sub(lambda m: "'%s %s%s%s%s%s%s'" % tuple(g or "" for g in m.groups()), sql[i:j + 1])
            out.append("(%s)" % lit.replace(":", "' || chr(58) || '") if ":" in lit else lit)
            i = j + 1
        else:
            out.append(sql[i])
            i += 1
    return "".join(out)


def main():
    log, offset = sys.argv[1], int(sys.argv[2])
    with open(log, "rb") as f:
        f.seek(offset)
        lines = f.read().decode("utf-8", "replace").splitlines()
    stmts = []
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            stmts += [line.rstrip("\n") for line in f if line.strip()]
    for k, line in enumerate(lines):
        m = EXEC.search(line)
        if not m or m.group(1).strip() in SKIP or m.group(1).startswith("mail"):
            continue
        sql = m.group(2)
        params = {}
        if k + 1 < len(lines):
            p = PARAMS.search(lines[k + 1])
            if p:
                params = parse_params(p.group(1))
        sql = re.sub(r"\$(\d+)", lambda x: params.get(int(x.group(1)), x.group(0)), sql)
        # a new session's token hash must differ on every pgbench transaction (it is the key)
        sql = re.sub(r"'\\x[0-9a-f]{64}'::bytea", "sha256(convert_to(random()::text, 'UTF8'))", sql)
        stmts.append(colons_out_of_literals(sql).rstrip(";") + ";")
    print("\n".join(stmts))


if __name__ == "__main__":
    main()
