#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz entry point: everything is in fuzz/build.sh, which
# reads $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $WORK $SRC and the
# upstream driver paths the Dockerfile fetched ($SRC/shared/upstream/). Without
# them diff_upstream, the differential target, would be left out: an error here.
export BALLAST_REQUIRE_UPSTREAM=1
exec "$SRC/ballast/fuzz/build.sh"
