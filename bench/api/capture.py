#!/usr/bin/env python3
"""capture.py - turn what one request ran on PostgreSQL into a pgbench script (bench/run.sh).

  capture.py [--defines VARS] LOG OFFSET [PREFIX_FILE] > scenario.sql

LOG is the instance's postgresql.log written with log_min_duration_statement = 0; OFFSET the byte
offset where the request began. Every `execute NAME: SQL` line with its `DETAIL:  parameters:`
becomes one statement whose parameters are pgbench variables (:s0p1 …), their values written to
VARS as name=value lines for pgbench -D: with -M prepared pgbench then sends the same statement
with the same text parameters as the worker, so the server plans it the same way (a literal in
their place would let it plan once where the worker's catch-all filters are planned per call).
NULL parameters are written as NULL. PREFIX_FILE, if given, is put first (the session lookup that
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


DEFINES = None


def main():
    global DEFINES
    if sys.argv[1] == "--defines":
        DEFINES = sys.argv[2]
        del sys.argv[1:3]
    log, offset = sys.argv[1], int(sys.argv[2])
    with open(log, "rb") as f:
        f.seek(offset)
        lines = f.read().decode("utf-8", "replace").splitlines()
    stmts = []
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            stmts += [line.rstrip("\n") for line in f if line.strip()]
    defines = []
    for k, line in enumerate(lines):
        m = EXEC.search(line)
        if not m or m.group(1).strip() in SKIP or m.group(1).startswith("mail"):
            continue
        sql = colons_out_of_literals(m.group(2))
        params = {}
        if k + 1 < len(lines):
            p = PARAMS.search(lines[k + 1])
            if p:
                params = parse_params(p.group(1))

        def param(x):
            n = int(x.group(1))
            v = params.get(n)
            if v is None:
                return x.group(0)
            if v == "NULL":
                return v
            if re.fullmatch(r"'\\x[0-9a-f]{64}'", v) and sql.startswith("INSERT INTO sessions"):
                # a new session's token hash must differ on every transaction (it is the key)
                return "sha256(convert_to(random()::text, 'UTF8'))"
            name = "s%dp%d" % (len(stmts), n)
            d = "%s=%s" % (name, v[1:-1].replace("''", "'"))
            if d not in defines:
                defines.append(d)
            return ":" + name
        sql = re.sub(r"\$(\d+)", param, sql)
        stmts.append(sql.rstrip(";") + ";")
    if DEFINES:
        with open(DEFINES, "w") as f:
            f.write("".join(d + "\n" for d in defines))
    print("\n".join(stmts))


if __name__ == "__main__":
    main()
