# fuzz/ossfuzz.cmake: the OSS-Fuzz / ClusterFuzzLite build.
# Included from fuzz/CMakeLists.txt.
#
# ctest fuzz.ossfuzz_build (plain build only, like fuzz.afl_smoke: it makes its
# own clang-19 ASan + libFuzzer build): fuzz/tests/ossfuzz.sh runs fuzz/build.sh
# with the variables OSS-Fuzz sets (CC/CXX clang-19, CFLAGS/CXXFLAGS with
# -fsanitize=address,fuzzer-no-link -O1 -gline-tables-only,
# LIB_FUZZING_ENGINE=-fsanitize=fuzzer, OUT a temporary directory, SRC the
# repository's parent), then runs every fuzzer in $OUT on its unzipped
# <target>_seed_corpus.zip with its <target>.dict (-runs=0). WORK is
# ${CMAKE_BINARY_DIR}/ossfuzz-work, kept between runs so a rerun only rebuilds
# what changed (OSS-Fuzz keeps $WORK too).
if(NOT BALLAST_FUZZ AND NOT BALLAST_FUZZ_ENGINE AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize=")
  add_test(NAME fuzz.ossfuzz_build
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/ossfuzz.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/ossfuzz-work)
  set_tests_properties(fuzz.ossfuzz_build PROPERTIES LABELS fuzz TIMEOUT 600)
  # The dictionaries are generated from the scenario tables: a new op or header key must reach them.
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_FOUND)
    add_test(NAME fuzz.dicts_current COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/dicts.py --check)
    set_tests_properties(fuzz.dicts_current PROPERTIES LABELS fuzz TIMEOUT 60)
  endif()
endif()
