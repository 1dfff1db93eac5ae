#!/bin/sh
# tests/valgrind-ceremony.sh: stands in for ./ceremony under make check-valgrind
# (CEREMONY=this in the tests): the real binary under memcheck, each run's report in
# its own file in $CEREMONY_VALGRIND_LOGS, so stderr stays what the tests compare.
# Exit 99 on an invalid access or a definite or indirect leak, which no test expects.
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --suppressions="$(dirname "$0")/valgrind.supp" \
    --show-leak-kinds=definite,indirect --log-file="$CEREMONY_VALGRIND_LOGS/vg.%p.log" \
    "$CEREMONY_VALGRIND_BIN" "$@"
