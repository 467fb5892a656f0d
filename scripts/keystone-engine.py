"""Keystone's own mapping engine, in-process, for differential tests and benchmarks.

Reads JSON lines {"rules": <mapping>, "assertion": {...}} on stdin and writes one JSON line per
case: {"ok": <mapped properties>, "seconds": t} or {"error": "<exception class>", "message": m}.
Run with the Python that imports the Keystone under test: /usr/bin/python3 for Debian's, the
virtualenv's for the PyPI release (scripts/keystone-pypi.sh). One process
evaluates any number of cases, so Python's start-up is paid once.
"""
import json
import logging
import re
import sys
import time

logging.disable(logging.CRITICAL)
import keystone.conf  # noqa: E402
from keystone.federation import utils  # noqa: E402

# Exceptions such as DirectMappingError read [DEFAULT] insecure_debug while being built: load
# Keystone's option definitions with no config files, as keystone-manage would with defaults.
keystone.conf.configure()
keystone.conf.CONF([], project="keystone", default_config_files=[])


def evaluate(case):
    rules = case["rules"]
    if isinstance(rules, list):
        rules = {"rules": rules}
    started = time.perf_counter()
    utils.validate_mapping_structure(rules)
    if hasattr(utils, "create_attribute_mapping_rules_processor"):
        # Keystone >= 25 picks the processor by the mapping's schema_version (default 1.0).
        processor = utils.create_attribute_mapping_rules_processor(
            dict(rules, id=case.get("mapping_id", "m"))
        )
    else:
        processor = utils.RuleProcessor(case.get("mapping_id", "m"), rules["rules"])
    mapped = processor.process(case["assertion"])
    return mapped, time.perf_counter() - started


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        try:
            mapped, seconds = evaluate(case)
            out = {"ok": mapped, "seconds": seconds}
        except re.error as e:
            out = {"error": "re.error", "message": str(e)}
        except Exception as e:  # the class name is what the comparison needs
            out = {"error": type(e).__name__, "message": str(e)}
        sys.stdout.write(json.dumps(out, default=repr) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
