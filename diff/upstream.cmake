# diff/upstream.cmake: the upstream drivers/xen/balloon.c (seed, Linux 6.1 and 6.12),
# unmodified, compiled against the kernel-API shim (diff/shim), as the Subject
# in diff/upstream_subject.h. Included by diff/CMakeLists.txt.
#
# No upstream code is in this repository: BALLAST_UPSTREAM_SEED (top level)
# BALLAST_UPSTREAM_61 and BALLAST_UPSTREAM_612 name files outside it; by
# default the 6.1 and 6.12 files are extracted from Debian's linux-source-6.1
# and linux-source-6.12 tarballs into the build tree.

# Debian's linux-source-X package: drivers/xen/balloon.c of version X, read
# from the tarball at configure time (once; kept in the build tree).
function(_bup_from_debian ver cachevar tarball out)
  if(${cachevar})
    set(${out} "${${cachevar}}" PARENT_SCOPE)
    return()
  endif()
  set(_dir "${CMAKE_BINARY_DIR}/upstream-${ver}")
  set(_file "${_dir}/linux-source-${ver}/drivers/xen/balloon.c")
  if(NOT EXISTS "${_file}")
    if(NOT EXISTS "${tarball}")
      message(FATAL_ERROR "ballast: ${tarball} is missing. Install it with\n"
                          "  sudo apt-get install linux-source-${ver}\n"
                          "(./ballast does this), or set -D${cachevar}=/path/to/drivers/xen/balloon.c")
    endif()
    file(MAKE_DIRECTORY "${_dir}")
    message(STATUS "ballast: extracting drivers/xen/balloon.c from ${tarball}")
    execute_process(COMMAND tar -xJf "${tarball}" -C "${_dir}"
                            linux-source-${ver}/drivers/xen/balloon.c
                    RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0 OR NOT EXISTS "${_file}")
      message(FATAL_ERROR "ballast: could not extract drivers/xen/balloon.c from ${tarball}")
    endif()
  endif()
  set(${out} "${_file}" PARENT_SCOPE)
endfunction()

set(BALLAST_UPSTREAM_61 "" CACHE FILEPATH
    "Path to Linux 6.1 drivers/xen/balloon.c; empty: extract it from /usr/src/linux-source-6.1.tar.xz")
set(BALLAST_LINUX_SOURCE_TARBALL "/usr/src/linux-source-6.1.tar.xz" CACHE FILEPATH
    "Debian's linux-source-6.1 tarball")
set(BALLAST_UPSTREAM_612 "" CACHE FILEPATH
    "Path to Linux 6.12 drivers/xen/balloon.c; empty: extract it from /usr/src/linux-source-6.12.tar.xz")
set(BALLAST_LINUX_SOURCE_612_TARBALL "/usr/src/linux-source-6.12.tar.xz" CACHE FILEPATH
    "Debian's linux-source-6.12 tarball")
_bup_from_debian(6.1 BALLAST_UPSTREAM_61 "${BALLAST_LINUX_SOURCE_TARBALL}" _bup_61_file)
_bup_from_debian(6.12 BALLAST_UPSTREAM_612 "${BALLAST_LINUX_SOURCE_612_TARBALL}" _bup_612_file)

set(_bup_seed_file "${BALLAST_UPSTREAM_SEED}")
foreach(_v seed 61 612)
  if(NOT EXISTS "${_bup_${_v}_file}")
    message(WARNING "ballast: no ${_v} driver at ${_bup_${_v}_file}: upstream subject not built")
    return()
  endif()
endforeach()
message(STATUS "ballast: upstream seed: ${_bup_seed_file}")
message(STATUS "ballast: upstream 6.1:  ${_bup_61_file}")
message(STATUS "ballast: upstream 6.12: ${_bup_612_file}")

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
# The seed has its own wrapper (delayed work); 6.1 and 6.12 share one (kthread).
set(_bup_wrap_seed seed)
set(_bup_wrap_61 kthread)
set(_bup_wrap_612 kthread)
set(_bup_id_seed BUP_VERSION_SEED)
set(_bup_id_61 BUP_VERSION_61)
set(_bup_id_612 BUP_VERSION_612)
foreach(_ver seed 61 612)
  set(_file "${_bup_${_ver}_file}")
  set(_wrap ${_bup_dir}/upstream/wrap_${_bup_wrap_${_ver}}.c)
  foreach(_cfg RANGE 15)
    set(_t bup_${_ver}_${_cfg})
    add_library(${_t} OBJECT ${_wrap})
    set_source_files_properties(${_wrap} PROPERTIES OBJECT_DEPENDS "${_file}")
    target_include_directories(${_t} PRIVATE ${_bup_kernel_includes})
    target_compile_options(${_t} PRIVATE ${_bup_kernel_c_flags} ${_bup_driver_warnings})
    set(_defs KBUILD_MODNAME="xen_balloon" CONFIG_XEN_BALLOON BUP_VARIANT=${_ver}_${_cfg} BUP_VERSION_ID=${_bup_id_${_ver}}
              BUP_DRIVER="${_file}")
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
