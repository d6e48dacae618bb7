#!/usr/bin/env bash
# Argument checks shared by ./ballast and the scripts behind it. Options are
# parsed with getopt(1) (util-linux); a number is a whole decimal number in
# range, or a one-line usage error and exit status 2 -- never a default in
# its place.

# ballast_number PROG OPTION VALUE LO HI: VALUE if it is a whole number in [LO, HI].
ballast_number() {
  local prog=$1 opt=$2 v=$3 lo=$4 hi=$5
  # At most 18 digits: bash arithmetic is 64-bit signed.
  if [[ ! $v =~ ^[0-9]{1,18}$ ]] || ((10#$v < lo || 10#$v > hi)); then
    echo "$prog: $opt wants a whole number in [$lo, $hi], got '$v'" >&2
    exit 2
  fi
  echo $((10#$v))
}

# ballast_getopt PROG LONGOPTS ARGS...: getopt's normalised arguments (for
# `eval set --`), or its error and exit status 2.
ballast_getopt() {
  local prog=$1 long=$2
  shift 2
  getopt -n "$prog" -o h --long "$long" -- "$@" || exit 2
}
