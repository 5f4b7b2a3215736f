# Checks that every non-table key of the JSON Schema appears as the last path component of some
# entry of `fluxc dump --format json`; prints the missing ones otherwise.
import json
import re
import sys

schema = json.load(open(sys.argv[1]))
dump = json.load(open(sys.argv[2]))
seen = set()
for entry in dump["config"]:
    seen.add(re.sub(r"\[[^\]]*\]", "", entry["key"]).split(".")[-1])
missing = []
for table, spec in schema["$defs"].items():
    for key, prop in spec["properties"].items():
        is_table = "$ref" in prop or ("items" in prop and "$ref" in prop["items"])
        if not is_table and not prop.get("deprecated") and key not in seen and key != "extensions":
            missing.append(f"{table}.{key}")
print("missing: " + ", ".join(missing) if missing else "every leaf key of the schema appears in the dump")
