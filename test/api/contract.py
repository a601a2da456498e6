"""contract.py - check every API test response against the served /api/openapi.json.

kw.request() hands each exchange to check(); a response whose status the operation does not
document (4xx must be listed; 5xx may fall to "default"), whose content type is not documented,
or whose JSON body does not validate against the documented schema (python3-jsonschema) is a
violation. run.py prints them and "contract: N violations"; scripts/test.sh fails on any.
Requests to paths or methods the document does not describe (deliberate 404/405 probes) are
not checked: the document cannot describe what does not exist.
"""
import gzip
import json
import re
import urllib.parse

import jsonschema

violations = []
_doc = None
_ops = None  # [(method, regex, path template, operation)]
_checked = 0


def _load(fetch):
    """Fetch the document once (fetch() returns the raw body) and index its operations."""
    global _doc, _ops
    _doc = json.loads(fetch().decode("utf-8"))
    _ops = []
    for path, item in _doc["paths"].items():
        rx = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")
        for method, op in item.items():
            _ops.append((method.upper(), rx, path, op))


def _deref(schema, seen=()):
    """The schema with every $ref inlined and OpenAPI's nullable made JSON Schema."""
    if isinstance(schema, list):
        return [_deref(s, seen) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return {}
        return _deref(_doc["components"]["schemas"][name], seen + (name,))
    out = {k: _deref(v, seen) for k, v in schema.items() if k not in ("nullable", "example")}
    if schema.get("nullable"):
        t = out.get("type")
        if t:
            out["type"] = [t, "null"]
        if "enum" in out:
            out["enum"] = out["enum"] + [None]
    return out


def _find(method, path):
    method = "GET" if method == "HEAD" else method
    for m, rx, tmpl, op in _ops:
        if m == method and rx.match(path):
            literal = [(tmpl2, op2) for m2, rx2, tmpl2, op2 in _ops if m2 == method and tmpl2 == path]
            return literal[0] if literal else (tmpl, op)
    return None, None


def check(method, target, status, headers, body, fetch):
    """Record what is wrong with one exchange (method, request target, answer) against the document."""
    global _checked
    if _ops is None:
        _load(fetch)
    path = urllib.parse.urlsplit(target).path
    if not path.startswith("/api/"):
        return
    tmpl, op = _find(method, path)
    if op is None:
        return
    _checked += 1
    where = "%s %s -> %d" % (method, tmpl, status)
    responses = op.get("responses", {})
    answer = responses.get(str(status))
    if answer is None and status >= 500:
        answer = responses.get("default")
    if answer is None:
        violations.append("%s: status not documented (documented: %s)" % (where, ", ".join(sorted(responses))))
        return
    content = answer.get("content")
    if not content:
        if body:
            violations.append("%s: body sent where none is documented" % where)
        return
    if method == "HEAD":
        return
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    ctype = (headers.get("content-type") or "").split(";")[0].strip()
    media = content.get(ctype)
    if media is None:
        violations.append("%s: content type %r not documented (%s)" % (where, ctype, ", ".join(content)))
        return
    if ctype != "application/json":
        return
    try:
        data = json.loads(body.decode("utf-8"))
    except ValueError:
        violations.append("%s: body is not JSON" % where)
        return
    schema = _deref(media.get("schema", {}))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    for e in errors[:3]:
        at = "/".join(str(p) for p in e.path) or "(body)"
        violations.append("%s: %s: %s" % (where, at, e.message[:200]))


def report():
    """Lines for the run's end; the last one is "contract: N violations"."""
    lines = ["contract: " + v for v in sorted(set(violations))]
    lines.append("contract: %d responses checked, %d violations" % (_checked, len(set(violations))))
    return lines
