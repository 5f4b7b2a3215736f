# Prints the parts of the generated JSON Schema that schema.test checks.
import json
import sys

s = json.load(open(sys.argv[1]))
d = s["$defs"]
print("$schema", s["$schema"])
print("$id", s["$id"])
print("root.additionalProperties", s["additionalProperties"])
print("Php.max_in_flight", d["Php"]["properties"]["max_in_flight"])
print("Fpm.workers.description", d["Fpm"]["properties"]["workers"]["description"])
print("Limits.max_request_body_bytes.oneOf", d["Limits"]["properties"]["max_request_body_bytes"]["oneOf"])
print("Logging.level.enum", d["Logging"]["properties"]["level"]["enum"])
print("Tls has acme", "acme" in d["Tls"]["properties"])
print("every object closed", all(t["additionalProperties"] is False for t in d.values()))
