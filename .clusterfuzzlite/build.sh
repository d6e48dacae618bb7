#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz entry point: everything is in fuzz/build.sh, which
# reads $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $WORK $SRC and the
# upstream driver paths the Dockerfile fetched ($SRC/shared/upstream/).
exec "$SRC/ballast/fuzz/build.sh"
