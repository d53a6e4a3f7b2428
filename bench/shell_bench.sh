#!/bin/sh
# Shell benchmark (issue 2): see bench/shell_bench.py and BENCHMARKS.md. Usage: bench/shell_bench.sh BUILD_DIR [--markdown FILE]
exec python3 "$(dirname "$0")/shell_bench.py" "$@"
