#!/usr/bin/env bash
# expect-fail.sh REGEX COMMAND...: passes when COMMAND exits non-zero (not by a signal) and its
# stderr matches REGEX — bad input must be refused with a message that names the problem.
set -u
regex=$1; shift
err=$("$@" 2>&1 >/dev/null); rc=$?
if (( rc == 0 )); then echo "expected a failure, got exit 0"; exit 1; fi
if (( rc > 128 )); then echo "crashed with signal $((rc - 128)): $err"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$err"; then echo "stderr did not match /$regex/: $err"; exit 1; fi
echo "refused as expected (exit $rc): $err"
