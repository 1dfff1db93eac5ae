#!/usr/bin/env bash
# tests/fuzz-seed.sh DIR: puts the transcript of the example ceremony, run on a throwaway
# SoftHSM token, into DIR as a seed for make fuzz-transcript.
source "$(dirname "$0")/lib.sh"
dest=$(cd "$1" && pwd)
new_softhsm
init_token demo-root >/dev/null
mkdir -p "$WORK/seed/out" && cd "$WORK/seed"
cp "$TOP/ceremonies/root-p384.yaml" .
# the example is planned for PLANNED_AT: judged as of that day, whatever the date today
CEREMONY_PIN=$PIN "$CEREMONY" run --yes --at "$PLANNED_AT" --transcript t.jsonl root-p384.yaml >/dev/null &&
    cp t.jsonl "$dest/root-p384.jsonl"
