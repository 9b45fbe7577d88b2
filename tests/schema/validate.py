#!/usr/bin/env python3
"""A JSON Schema validator for the subset docs/output-schema.json uses.

Python's standard library has no JSON Schema validator and the CI installs
none, so this one implements exactly the keywords the schema uses (draft
2020-12 semantics): type, properties, required, additionalProperties (a
boolean), items, enum, const, minimum, minItems, maxItems, anyOf, oneOf and
local $ref ("#/$defs/name"). A keyword it does not know is an error, so the
schema cannot start relying on something this validator silently ignores.

Usage: validate.py --self-test SCHEMA    checks the validator refuses bad values
       validate.py SCHEMA DEF FILE...   validates every line of each FILE (JSON
Lines) against #/$defs/DEF or #/$defs/error_record; prints each failure with
its file and line and exits 1 if there was one.
"""
import json
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
KEYWORDS = ANNOTATIONS | {"type", "properties", "required", "additionalProperties", "items",
                          "enum", "const", "minimum", "minItems", "maxItems", "anyOf", "oneOf",
                          "$ref"}


def is_type(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "null":
        return value is None
    raise ValueError(f"unknown type {name!r}")


def same(a, b):
    # JSON equality: true is not 1.
    return type(a) is type(b) and a == b or (
        is_type(a, "number") and is_type(b, "number") and a == b)


class Validator:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported, got {ref!r}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, value, schema, path="$"):
        """The list of messages of `value` failing `schema` (empty: valid)."""
        unknown = set(schema) - KEYWORDS
        if unknown:
            raise ValueError(f"schema keyword(s) not supported: {sorted(unknown)}")
        out = []
        if "$ref" in schema:
            out += self.errors(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(is_type(value, t) for t in types):
                return out + [f"{path}: expected {schema['type']}, got {json.dumps(value)[:80]}"]
        if "const" in schema and not same(value, schema["const"]):
            out.append(f"{path}: expected {json.dumps(schema['const'])}, got {json.dumps(value)[:80]}")
        if "enum" in schema and not any(same(value, e) for e in schema["enum"]):
            out.append(f"{path}: {json.dumps(value)[:80]} is not one of {schema['enum']}")
        if "minimum" in schema and is_type(value, "number") and value < schema["minimum"]:
            out.append(f"{path}: {value} is below {schema['minimum']}")
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for key in schema.get("required", []):
                if key not in value:
                    out.append(f"{path}: missing required field {key!r}")
            for key, item in value.items():
                if key in props:
                    out += self.errors(item, props[key], f"{path}.{key}")
                elif schema.get("additionalProperties", True) is False:
                    out.append(f"{path}: field {key!r} is not in the schema")
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                out.append(f"{path}: fewer than {schema['minItems']} items")
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                out.append(f"{path}: more than {schema['maxItems']} items")
            if "items" in schema:
                for i, item in enumerate(value):
                    out += self.errors(item, schema["items"], f"{path}[{i}]")
        if "anyOf" in schema:
            if all(self.errors(value, s, path) for s in schema["anyOf"]):
                out.append(f"{path}: matches none of anyOf")
        if "oneOf" in schema:
            n = sum(not self.errors(value, s, path) for s in schema["oneOf"])
            if n != 1:
                out.append(f"{path}: matches {n} of oneOf, expected exactly 1")
        return out


def self_test(schema):
    """The validator itself must refuse what the schema forbids."""
    v = Validator(schema)
    err = {"$ref": "#/$defs/error_record"}
    tok = {"$ref": "#/$defs/tokens_line"}
    good = {"id": "1", "line": 1, "tokens": [{"text": "a", "begin": 0, "end": 1, "kind": "word"}]}
    checks = [
        (not v.errors({"line": 2, "error": "malformed JSON"}, err), "a good error record"),
        (v.errors({"line": 0, "error": "x"}, err), "line below minimum"),
        (v.errors({"line": 2}, err), "missing required field"),
        (v.errors({"line": 2, "error": "x", "extra": 1}, err), "additional field"),
        (not v.errors(good, tok), "a good tokens line"),
        (v.errors(dict(good, id=1), tok), "id of the wrong type"),
        (v.errors(dict(good, tokens=[dict(good["tokens"][0], kind="wrd")]), tok), "enum"),
        (v.errors(dict(good, repaired_utf8=False), tok), "const"),
        (v.errors(dict(good, line=True), tok), "a boolean is not an integer"),
        (v.errors({"hits": []}, {"$ref": "#/$defs/search_line"}), "$ref'd required fields"),
    ]
    failed = [what for ok, what in checks if not ok]
    for what in failed:
        print(f"validator self-test failed: {what}", file=sys.stderr)
    return not failed


def main(argv):
    if len(argv) == 3 and argv[1] == "--self-test":
        ok = self_test(json.load(open(argv[2], encoding="utf-8")))
        print("validator self-test " + ("ok" if ok else "FAILED"))
        return 0 if ok else 1
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    schema = json.load(open(argv[1], encoding="utf-8"))
    v = Validator(schema)
    line_schema = {"$ref": f"#/$defs/{argv[2]}"}
    error_schema = {"$ref": "#/$defs/error_record"}
    failures = records = 0
    for name in argv[3:]:
        with open(name, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                records += 1
                value = json.loads(line)
                found = v.errors(value, error_schema if "error" in value else line_schema)
                if found:
                    failures += 1
                    print(f"{name}:{number}: " + "; ".join(found[:5]), file=sys.stderr)
    if records == 0:
        print("no records to validate", file=sys.stderr)
        return 1
    print(f"{argv[2]}: {records} records, {failures} invalid")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
