# fuzz/afl.cmake: the AFL++ builds (seeds, smoke test). Included from fuzz/CMakeLists.txt.
#
# Two roles:
#  - in the AFL++ build itself (preset afl: afl-clang-fast++ with
#    BALLAST_FUZZ_ENGINE=libAFLDriver.a, build/afl), the target afl_seeds
#    writes each target's seed directory from corpus/ at build time:
#    ${CMAKE_BINARY_DIR}/afl-seeds/<target>/ (binary inputs made by
#    ballast_fuzz_tool export; raw .scn text for scenario_parser);
#  - in the plain build (gcc preset; not the sanitizer or libFuzzer builds, so
#    the test runs once per `./ballast test`), the ctest fuzz.afl_smoke: it
#    builds the AFL++ targets in its own build dir (${CMAKE_BINARY_DIR}/afl)
#    with scripts/afl.sh, runs afl-fuzz on core_invariants for 10 s and fails
#    unless fuzzer_stats shows executions (execs_done > 0) and no crash other
#    than a reproduction of an open finding (corpus/findings/open-*).

set(_afl_corpus ${CMAKE_SOURCE_DIR}/corpus)

if(CMAKE_CXX_COMPILER MATCHES "afl-" OR BALLAST_FUZZ_ENGINE MATCHES "AFLDriver")
  # Seed inputs: the readable corpus with the fixed findings of the target itself
  # (another target's finding may hang this one), minus open findings (they crash by design,
  # and afl-fuzz refuses crashing seeds). The files are listed when the command
  # runs (corpus/ changes under a running build); the globs only trigger reruns.
  file(GLOB_RECURSE _afl_scn CONFIGURE_DEPENDS ${_afl_corpus}/*.scn)
  file(GLOB _afl_parser CONFIGURE_DEPENDS ${_afl_corpus}/parser/*)
  set(_afl_seeds ${CMAKE_BINARY_DIR}/afl-seeds)
  set(_afl_stamps)
  foreach(t core_invariants diff_upstream)
    if(TARGET ${t})
      add_custom_command(
        OUTPUT ${_afl_seeds}/${t}.stamp
        COMMAND ${CMAKE_COMMAND} -E rm -rf ${_afl_seeds}/${t}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${_afl_seeds}/${t}
        COMMAND bash -c "exec \"$0\" export --fitting \"$1/seeds\" \"$1/regressions\" \"$1/fuzzed\" $(find \"$1/findings\" -name \"fixed-$3-*.scn\" 2>/dev/null) \"$2\""
                $<TARGET_FILE:ballast_fuzz_tool> ${_afl_corpus} ${_afl_seeds}/${t} ${t}
        COMMAND ${CMAKE_COMMAND} -E touch ${_afl_seeds}/${t}.stamp
        DEPENDS ballast_fuzz_tool ${_afl_scn}
        COMMENT "afl: seeds for ${t} (corpus/ -> binary)"
        VERBATIM)
      list(APPEND _afl_stamps ${_afl_seeds}/${t}.stamp)
    endif()
  endforeach()
  # scenario_parser reads text: the .scn files as they are, plus corpus/parser/.
  add_custom_command(
    OUTPUT ${_afl_seeds}/scenario_parser.stamp
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${_afl_seeds}/scenario_parser
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_afl_seeds}/scenario_parser
    COMMAND bash -c "find \"$0\" -type f \\( -name '*.scn' -o -path '*/parser/*' \\) ! -name README.md ! -name .keep -exec cp -t \"$1\" {} +"
            ${_afl_corpus} ${_afl_seeds}/scenario_parser
    COMMAND ${CMAKE_COMMAND} -E touch ${_afl_seeds}/scenario_parser.stamp
    DEPENDS ${_afl_scn} ${_afl_parser}
    COMMENT "afl: seeds for scenario_parser (corpus/ text)"
    VERBATIM)
  list(APPEND _afl_stamps ${_afl_seeds}/scenario_parser.stamp)
  add_custom_target(afl_seeds DEPENDS ${_afl_stamps})
elseif(NOT BALLAST_FUZZ AND NOT BALLAST_FUZZ_ENGINE AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize=")
  add_test(NAME fuzz.afl_smoke
           COMMAND bash ${CMAKE_SOURCE_DIR}/scripts/afl.sh --build-dir ${CMAKE_BINARY_DIR}/afl
                   --seconds 10 --target core_invariants --allow-known)
  set_tests_properties(fuzz.afl_smoke PROPERTIES LABELS fuzz TIMEOUT 600)
endif()
