# diff/upstream.cmake: the upstream drivers/xen/balloon.c (seed and Linux 6.1),
# unmodified, compiled against the kernel-API shim (diff/shim), as the Subject
# in diff/upstream_subject.h. Included by diff/CMakeLists.txt.
#
# No upstream code is in this repository: BALLAST_UPSTREAM_SEED (top level)
# and BALLAST_UPSTREAM_61 name files outside it; by default the 6.1 file is
# extracted from Debian's linux-source-6.1 tarball into the build tree.

set(BALLAST_UPSTREAM_61 "" CACHE FILEPATH
    "Path to Linux 6.1 drivers/xen/balloon.c; empty: extract it from /usr/src/linux-source-6.1.tar.xz")
set(BALLAST_LINUX_SOURCE_TARBALL "/usr/src/linux-source-6.1.tar.xz" CACHE FILEPATH
    "Debian's linux-source-6.1 tarball")

if(BALLAST_UPSTREAM_61)
  set(_bup_61_file "${BALLAST_UPSTREAM_61}")
else()
  set(_bup_61_dir "${CMAKE_BINARY_DIR}/upstream-6.1")
  set(_bup_61_file "${_bup_61_dir}/linux-source-6.1/drivers/xen/balloon.c")
  if(NOT EXISTS "${_bup_61_file}")
    if(NOT EXISTS "${BALLAST_LINUX_SOURCE_TARBALL}")
      message(FATAL_ERROR "ballast: ${BALLAST_LINUX_SOURCE_TARBALL} is missing. Install it with\n"
                          "  sudo apt-get install linux-source-6.1\n"
                          "(./ballast does this), or set -DBALLAST_UPSTREAM_61=/path/to/drivers/xen/balloon.c")
    endif()
    file(MAKE_DIRECTORY "${_bup_61_dir}")
    message(STATUS "ballast: extracting drivers/xen/balloon.c from ${BALLAST_LINUX_SOURCE_TARBALL}")
    execute_process(COMMAND tar -xJf "${BALLAST_LINUX_SOURCE_TARBALL}" -C "${_bup_61_dir}"
                            linux-source-6.1/drivers/xen/balloon.c
                    RESULT_VARIABLE _bup_tar_rc)
    if(NOT _bup_tar_rc EQUAL 0 OR NOT EXISTS "${_bup_61_file}")
      message(FATAL_ERROR "ballast: could not extract drivers/xen/balloon.c from ${BALLAST_LINUX_SOURCE_TARBALL}")
    endif()
  endif()
endif()

set(_bup_seed_file "${BALLAST_UPSTREAM_SEED}")
if(NOT EXISTS "${_bup_seed_file}")
  message(WARNING "ballast: no seed driver at ${_bup_seed_file} (BALLAST_UPSTREAM_SEED): upstream subject not built")
  return()
endif()
if(NOT EXISTS "${_bup_61_file}")
  message(WARNING "ballast: no 6.1 driver at ${_bup_61_file} (BALLAST_UPSTREAM_61): upstream subject not built")
  return()
endif()
message(STATUS "ballast: upstream seed: ${_bup_seed_file}")
message(STATUS "ballast: upstream 6.1:  ${_bup_61_file}")

set(_bup_dir ${CMAKE_CURRENT_SOURCE_DIR})
set(_bup_kernel_includes
  ${_bup_dir}/shim/include ${_bup_dir}/shim ${_bup_dir}/upstream
  ${CMAKE_SOURCE_DIR}/core ${CMAKE_SOURCE_DIR}/world)
# Kernel-side C: no libc headers at all.
set(_bup_kernel_c_flags -std=gnu11 -nostdinc -fno-strict-aliasing -fno-common)
# The driver's own, relaxed warning set (no -Werror, no -Wextra: upstream code).
set(_bup_driver_warnings -Wall -Wno-unused-function -Wno-unused-variable -Wno-unused-but-set-variable)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND _bup_driver_warnings -Wno-maybe-uninitialized)
endif()

set(_bup_objects)
foreach(_ver seed 61)
  if(_ver STREQUAL "seed")
    set(_file "${_bup_seed_file}")
  else()
    set(_file "${_bup_61_file}")
  endif()
  foreach(_cfg RANGE 15)
    set(_t bup_${_ver}_${_cfg})
    add_library(${_t} OBJECT ${_bup_dir}/upstream/wrap_${_ver}.c)
    set_source_files_properties(${_bup_dir}/upstream/wrap_${_ver}.c PROPERTIES OBJECT_DEPENDS "${_file}")
    target_include_directories(${_t} PRIVATE ${_bup_kernel_includes})
    target_compile_options(${_t} PRIVATE ${_bup_kernel_c_flags} ${_bup_driver_warnings})
    set(_defs KBUILD_MODNAME="xen_balloon" CONFIG_XEN_BALLOON BUP_VARIANT=${_ver}_${_cfg} BUP_DRIVER="${_file}")
    math(EXPR _b "${_cfg} & 1")
    if(_b)
      list(APPEND _defs CONFIG_XEN_BALLOON_MEMORY_HOTPLUG)
    endif()
    math(EXPR _b "${_cfg} & 2")
    if(_b)
      list(APPEND _defs CONFIG_XEN_PV)
    endif()
    math(EXPR _b "${_cfg} & 4")
    if(_b)
      list(APPEND _defs CONFIG_XEN_HAVE_PVMMU)
    endif()
    math(EXPR _b "${_cfg} & 8")
    if(_b)
      list(APPEND _defs CONFIG_SPARSEMEM)
    endif()
    target_compile_definitions(${_t} PRIVATE ${_defs})
    list(APPEND _bup_objects $<TARGET_OBJECTS:${_t}>)
  endforeach()
endforeach()

# The shim runtime's kernel side (one file per subsystem): kernel types, our warnings.
set(_bup_runtime_kernel_sources)
foreach(_part api bug hotplug kthread mm sched spin sysctl xen)
  list(APPEND _bup_runtime_kernel_sources ${_bup_dir}/shim/kernel/${_part}.c)
endforeach()
add_library(bshim_runtime_kernel OBJECT ${_bup_runtime_kernel_sources} ${_bup_dir}/upstream/variants.c)
target_include_directories(bshim_runtime_kernel PRIVATE ${_bup_kernel_includes})
target_compile_options(bshim_runtime_kernel PRIVATE ${_bup_kernel_c_flags} ${BALLAST_WARNINGS})

# The host side and the C++ Subject: libc and the world, WITHOUT the shim include path.
add_library(ballast_upstream_subject STATIC
  ${_bup_dir}/upstream_subject.cpp
  ${_bup_dir}/shim/runtime_host.cpp
  $<TARGET_OBJECTS:bshim_runtime_kernel>
  ${_bup_objects})
target_include_directories(ballast_upstream_subject PUBLIC ${_bup_dir} ${_bup_dir}/shim ${_bup_dir}/upstream)
target_link_libraries(ballast_upstream_subject PUBLIC ballast_scenario ballast_core ballast_world)
target_compile_options(ballast_upstream_subject PRIVATE ${BALLAST_WARNINGS})

file(GLOB _bup_test_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/diff_upstream/*.cpp)
if(_bup_test_sources)
  ballast_gtest(upstream_tests SOURCES ${_bup_test_sources} LIBS ballast_upstream_subject PROPERTIES LABELS upstream)
endif()
