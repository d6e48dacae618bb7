#!/usr/bin/env bash
# libfuzzer_flags.sh FILE: the [libfuzzer] section of an OSS-Fuzz .options
# file (fuzz/libfuzzer.options, or the copy build.sh installs as
# $OUT/<target>.options) as libFuzzer flags, one "-name=value" per line.
# Used by ./ballast campaign, ./ballast bench and the OSS-Fuzz build test, so
# all three pass the options the same way OSS-Fuzz does.
set -euo pipefail
sed -n '/^\[libfuzzer\]/,/^\[/s/^\([a-z_]\+\) *= *\([^ ]*\) *$/-\1=\2/p' "$1"
