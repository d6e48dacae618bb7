# fuzz/campaign.cmake: the tests of ./ballast campaign (scripts/campaign.sh,
# fuzz/campaign/). Included from fuzz/CMakeLists.txt; plain builds only (the
# campaign makes its own clang-19 libFuzzer and coverage builds, in
# ${CMAKE_BINARY_DIR}/campaign, kept between runs so that a rerun only
# rebuilds what changed).
#
# campaign.continuous (fuzz/tests/campaign.sh): two 10-second campaigns with
# the planted targets in one state: planted crash and divergence triaged, new
# then known / regression, a history of two runs, git status unchanged.
# campaign.report_in_browser (fuzz/tests/report_browser.py): the second run's
# report in headless Chromium; the screenshot stays in
# ${CMAKE_BINARY_DIR}/campaign-report.png.
# campaign.signatures (fuzz/tests/signature_test.py): the signature of each kind
# of failure, the same for two inputs with other values.
if(NOT BALLAST_FUZZ AND NOT BALLAST_FUZZ_ENGINE AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize=")
  set(_out ${CMAKE_BINARY_DIR}/campaign-test)
  add_test(NAME campaign.continuous
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign.sh ${CMAKE_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/campaign ${_out} $<TARGET_FILE:ballast-diff>)
  set_tests_properties(campaign.continuous PROPERTIES LABELS "fuzz;campaign" TIMEOUT 1800
                       FIXTURES_SETUP campaign_report RUN_SERIAL TRUE)
  # Debian's python3-selenium is a package of Debian's python3, not of another python3 on the PATH.
  add_test(NAME campaign.report_in_browser
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/report_browser.py ${_out}/report
                   ${CMAKE_BINARY_DIR}/campaign-report.png --root ${CMAKE_SOURCE_DIR} --runs 2
                   --finding planted_overflow --finding stats.balloon_low)
  set_tests_properties(campaign.report_in_browser PROPERTIES LABELS "fuzz;campaign" TIMEOUT 300
                       FIXTURES_REQUIRED campaign_report)
  # The crash signatures on each kind of report the targets print (fuzz/campaign/signature.py).
  find_package(Python3 COMPONENTS Interpreter)
  add_test(NAME campaign.signatures COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/signature_test.py)
  set_tests_properties(campaign.signatures PROPERTIES LABELS "campaign;unit" TIMEOUT 60)
endif()
