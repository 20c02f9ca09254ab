#!/usr/bin/env python3
"""Builds the fuzz seed corpora from the repository's own inputs.

    python3 fuzz/seed_corpus.py            # writes fuzz/corpus/<target>/

Nothing here is committed output: the corpora are rebuilt from the files the
project already keeps (configs, rule files, snapshots, rule fixtures, the live
tests' runbook), plus the small hand-picked seeds in fuzz/seeds/<target>/.
Each seed is named after the SHA-1 of its content, as libFuzzer names its own
corpus entries, so re-running is idempotent.
"""

import copy
import hashlib
import json
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
TARGETS = ["config", "rule_file", "cel", "snapshot", "ssm_document", "plan", "aws_response"]


def write(target: str, data: bytes) -> None:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def text_files(pattern: str):
    for path in sorted(ROOT.glob(pattern)):
        if "target" in path.parts or "fuzz" in path.parts:
            continue
        if path.is_file():
            yield path


def apply_patch(document, operations):
    """RFC 6902 subset the rule fixtures use (add, replace, remove)."""
    document = copy.deepcopy(document)
    for op in operations:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        parent = document
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1] if parts else None
        kind = op["op"]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if kind == "add":
                parent.insert(index, op["value"])
            elif kind == "replace":
                parent[index] = op["value"]
            elif kind == "remove":
                del parent[index]
        else:
            if kind in ("add", "replace"):
                parent[last] = op["value"]
            elif kind == "remove":
                parent.pop(last, None)
    return document


def to_yaml(value, indent=0) -> str:
    """A small block-style YAML emitter (enough for runbook content)."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        out = ""
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out += f"{pad}{key}:\n" + to_yaml(item, indent + 1)
            else:
                out += f"{pad}{key}: {scalar(item)}\n"
        return out
    if isinstance(value, list):
        if not value:
            return pad + "[]\n"
        out = ""
        for item in value:
            body = to_yaml(item, indent + 1) if isinstance(item, (dict, list)) and item else None
            if body is None:
                out += f"{pad}- {scalar(item)}\n"
            else:
                out += f"{pad}- " + body.lstrip()
        return out
    return pad + scalar(value) + "\n"


def scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "'" + str(value).replace("'", "''") + "'"


def runbook_content(document) -> dict:
    """Reconstructs GetDocument content from a snapshot's parsed document."""
    steps = []
    for step in document.get("steps", []):
        inputs = {}
        if step.get("service") is not None:
            inputs["Service"] = step["service"]
        if step.get("api") is not None:
            inputs["Api"] = step["api"]
        inputs.update(step.get("inputs", {}))
        steps.append({"name": step["name"], "action": step["action"], "inputs": inputs})
    parameters = {}
    for parameter in document.get("parameters", []):
        spec = {}
        if parameter.get("param_type") is not None:
            spec["type"] = parameter["param_type"]
        if parameter.get("default") is not None:
            spec["default"] = parameter["default"]
        parameters[parameter["name"]] = spec
    return {"schemaVersion": "0.3", "parameters": parameters, "mainSteps": steps}


def main() -> int:
    counts = {}

    # config: every drguard.toml the project keeps, and the starter file.
    for path in list(text_files("**/drguard.toml")) + [ROOT / "src/config/starter.toml"]:
        write("config", path.read_bytes())

    # rule_file: the built-in rules, the budget model (a different shape the
    # parser must reject cleanly), and rule files embedded in tests.
    expressions = set()
    for path in text_files("rules/**/*.toml"):
        write("rule_file", path.read_bytes())
        data = tomllib.loads(path.read_text())
        for rule in data.get("rule", []):
            for key in ("assert", "where"):
                if key in rule:
                    expressions.add(rule[key])
            warning = rule.get("warning") or {}
            if "assert" in warning:
                expressions.add(warning["assert"])
            for key in ("message", "pass_message", "empty_message"):
                for hole in re.findall(r"\{\{(.*?)\}\}", rule.get(key, "")):
                    expressions.add(hole.strip())
        for step in data.get("step", []) + data.get("store", []):
            for value in step.values():
                if isinstance(value, str) and ("." in value or "(" in value):
                    expressions.add(value)

    # cel: every expression of the built-in rules and budget model.
    for expression in sorted(expressions):
        write("cel", expression.encode())

    # snapshot: the reference snapshot, every rule fixture applied to it
    # (each a pass or fail variant), and JSON snapshots among test inputs.
    reference_path = ROOT / "fixtures/reference/snapshot.json"
    reference = json.loads(reference_path.read_text())
    write("snapshot", reference_path.read_bytes())
    snapshots = [reference]
    for path in text_files("fixtures/rules/*/*.json"):
        fixture = json.loads(path.read_text())
        try:
            patched = apply_patch(reference, fixture.get("patch", []))
        except (KeyError, IndexError, ValueError, TypeError) as err:
            print(f"skipping {path.relative_to(ROOT)}: {err}", file=sys.stderr)
            continue
        snapshots.append(patched)
        write("snapshot", json.dumps(patched, indent=2).encode())

    # ssm_document: each runbook in the snapshots, as JSON (selector 0) and
    # YAML (selector 1) content; the hand-picked seeds add real-world shapes.
    for snap in snapshots:
        for region in snap.get("regions", {}).values():
            for document in region.get("automation_documents", []):
                content = runbook_content(document)
                write("ssm_document", b"\x00" + json.dumps(content, indent=2).encode())
                write("ssm_document", b"\x01" + to_yaml(content).encode())

    # plan: the plan fixtures (fixtures/plan/, written by scripts/plan-fixtures).
    for path in [*text_files("fixtures/plan/*.json"), *text_files("fixtures/plan/terraform/*.json")]:
        write("plan", path.read_bytes())

    # Hand-picked seeds, committed in fuzz/seeds/<target>/.
    for target in TARGETS:
        for path in sorted((ROOT / "fuzz/seeds" / target).glob("*")):
            write(target, path.read_bytes())

    for target in TARGETS:
        counts[target] = len(list((CORPUS / target).glob("*"))) if (CORPUS / target).exists() else 0
    print("seed corpora:", ", ".join(f"{t} {n}" for t, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
