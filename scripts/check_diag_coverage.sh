#!/usr/bin/env bash
# Fails when a diagnostic code of compiler/diag/diagnostics.def has no lit test that checks it
# (issue 3 "Tests": at least one negative test per diagnostic code).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
table="$root/compiler/diag/diagnostics.def"
tests="$root/tests/lit"

# FX0899 is the internal-compiler-error code: no input can trigger it (it reports a fluxc bug
# found by the post-emit verifier), so it is the one code without a lit test.
exempt=" FX0899 "

missing=0
for code in $(sed -n 's/^FX_DIAG(\([0-9]\{4\}\),.*/FX\1/p' "$table"); do
  [[ "$exempt" == *" $code "* ]] && continue
  if ! grep -rqE "CHECK[-A-Z]*:.*(error|warning)\[$code\]" "$tests"; then
    echo "check_diag_coverage: $code has no lit test (CHECK of error[$code] or warning[$code])"
    missing=$((missing + 1))
  fi
done
if [ "$missing" -ne 0 ]; then
  echo "check_diag_coverage: $missing code(s) without a lit test"
  exit 1
fi
echo "check_diag_coverage: every diagnostic code has a lit test"
