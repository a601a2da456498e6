#!/usr/bin/env python3
"""lint_borrowed.py FILE... - the json-c rule of lib/core/json.h that the sanitizers cannot see.

A child that belongs to another container (json_object_object_get_ex, json_object_object_get,
json_object_array_get_idx) must not be handed on as if the caller owned it: kwj_put / kwj_push
would take over a reference nobody gave them, and the object is freed twice at the end of the
request (json-c is not instrumented, so ASan misses it; the release build crashes). Within each
function body, report such a variable passed to kwj_put, kwj_push, json_object_object_add,
json_object_array_add, resp_*(r, ...) or stored through an out-parameter. Copy it (kwj_copy) or
add its value (kwj_add_*) instead. Prints "file:line: what is wrong" per finding.
"""
import re
import sys

BORROW = [re.compile(r"json_object_object_get_ex\([^;]*?&(\w+)\)"),
          re.compile(r"(\w+)\s*=\s*json_object_array_get_idx\("),
          re.compile(r"(\w+)\s*=\s*json_object_object_get\(")]
HANDED = [r"kwj_put\([^;]*,\s*{v}\)", r"kwj_push\([^;]*,\s*{v}\)", r"\*\w+\s*=\s*{v};",
          r"resp_\w+\(r,\s*{v}\b", r"json_object_object_add\([^;]*,\s*{v}\)",
          r"json_object_array_add\([^;]*,\s*{v}\)"]

for path in sys.argv[1:]:
    src = open(path, encoding="utf-8", errors="replace").read()
    pos = 0
    for body in src.split("\n}\n"):  # function bodies end with a "}" alone on its line
        names = {m for rx in BORROW for m in rx.findall(body)}
        for v in sorted(names):
            for pat in HANDED:
                for m in re.finditer(pat.format(v=re.escape(v)), body):
                    line = src.count("\n", 0, pos + m.start()) + 1
                    print(f"{path}:{line}: '{v}' belongs to another JSON container and is handed on:"
                          " kwj_copy it (lib/core/json.h ownership rule)")
        pos += len(body) + 3
