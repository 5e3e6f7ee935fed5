#!/usr/bin/env bash
# Prints the path of a working Python 3.10 (Rasa 3.6 runs on no other), or
# nothing. Tries $PYTHON, python3.10 on the PATH, then pyenv's 3.10 builds.
# A pyenv shim can exist without working, so each candidate is run.
candidates=("${PYTHON:-}" "$(command -v python3.10 2>/dev/null)")
if command -v pyenv >/dev/null 2>&1; then
  for found in "$(pyenv root)"/versions/3.10.*/bin/python3.10; do
    candidates+=("$found")
  done
fi
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then
    echo "$candidate"
    exit 0
  fi
done
exit 1
