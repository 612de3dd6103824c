# agdfConfig.cmake — what find_package(agdf CONFIG) loads: the imported targets
# agdf::agdf and agdf::agdfc (agdfTargets.cmake) and the function
# agdf_add_graph, which compiles a graph at build time into a target.
# Installed as PREFIX/lib/cmake/agdf/; see docs/build.md.
#
#   agdf_add_graph(TARGET FILE.agdf [MAIN] [OPTIONS flag...])
#
# runs agdfc on FILE.agdf (relative to the current source directory) when it
# changed, writing FILE.c and FILE.h into a directory of the build tree kept
# for TARGET; adds the .c to TARGET's sources, that directory to its include
# path (so its C files may #include "FILE.h"), and links agdf::agdf.  MAIN
# passes --main (a main() in the generated C); OPTIONS are more agdfc flags.
# TARGET must exist, made in the same directory, and use the keyword form of
# target_link_libraries; its graphs must have different file names (their
# FILE.c would collide).
include(CMakeFindDependencyMacro)
find_dependency(Threads)
include("${CMAKE_CURRENT_LIST_DIR}/agdfTargets.cmake")

# A function runs with the policies in force where it was defined.  CMP0116
# NEW (CMake 3.20) has Ninja read the depfile through CMake, which maps its
# absolute paths to the build's own; under OLD (what a project saying
# cmake_minimum_required(VERSION 3.16) gets) Ninja compares them to its
# relative output names, never finds them and reruns agdfc on every build.
cmake_policy(PUSH)
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

function(agdf_add_graph target file)
  cmake_parse_arguments(PARSE_ARGV 2 _agdf "MAIN" "" "OPTIONS")
  if(_agdf_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "agdf_add_graph: unknown arguments: ${_agdf_UNPARSED_ARGUMENTS}"
                        " (expected: TARGET FILE.agdf [MAIN] [OPTIONS flag...])")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "agdf_add_graph: no target named '${target}' (create it first)")
  endif()
  # CMake runs a custom command only for targets of its own directory: called
  # elsewhere, the generated .c would be a source nothing makes.
  get_target_property(target_dir "${target}" SOURCE_DIR)
  if(NOT target_dir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    message(FATAL_ERROR "agdf_add_graph: target '${target}' was made in ${target_dir};"
                        " call agdf_add_graph for it there, not in ${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  get_filename_component(src "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${src}")
    message(FATAL_ERROR "agdf_add_graph: no file '${src}'")
  endif()
  get_filename_component(name "${file}" NAME_WE)
  # Each graph of a target writes NAME.c and NAME.h into the target's directory:
  # a second graph of the same name would take the first one's files.
  get_property(names GLOBAL PROPERTY "_agdf_names_${target}")
  get_property(srcs GLOBAL PROPERTY "_agdf_srcs_${target}")
  list(FIND names "${name}" seen)
  if(seen GREATER -1)
    list(GET srcs ${seen} other)
    if(other STREQUAL src)
      message(FATAL_ERROR "agdf_add_graph: '${src}' is already a graph of target '${target}'")
    endif()
    message(FATAL_ERROR "agdf_add_graph: target '${target}' already has the graph '${other}';"
                        " '${src}' would write the same ${name}.c and ${name}.h"
                        " (rename one file, or give it a target of its own)")
  endif()
  set_property(GLOBAL APPEND PROPERTY "_agdf_names_${target}" "${name}")
  set_property(GLOBAL APPEND PROPERTY "_agdf_srcs_${target}" "${src}")
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/agdf/${target}")
  set(flags ${_agdf_OPTIONS})
  if(_agdf_MAIN)
    list(APPEND flags --main)
  endif()
  # A depfile lets the build tool see what agdfc read; CMake takes one from a
  # custom command for the Makefile generators and Ninja since 3.20 (CMP0116
  # above; before it, Ninja would misread the absolute names agdfc writes).
  set(depfile_args)
  if(POLICY CMP0116 AND CMAKE_GENERATOR MATCHES "Ninja|Makefiles")
    set(depfile_args DEPFILE "${dir}/${name}.agdf.d")
    list(APPEND flags -MD -MF "${dir}/${name}.agdf.d")
  endif()
  file(MAKE_DIRECTORY "${dir}")
  add_custom_command(
    OUTPUT "${dir}/${name}.c" "${dir}/${name}.h"
    COMMAND agdf::agdfc ${flags} -o "${dir}/${name}.c" "${src}"
    DEPENDS "${src}" "$<TARGET_FILE:agdf::agdfc>"
    ${depfile_args}
    COMMENT "agdfc ${file}"
    VERBATIM)
  target_sources("${target}" PRIVATE "${dir}/${name}.c" "${dir}/${name}.h")
  target_include_directories("${target}" PRIVATE "${dir}")
  target_link_libraries("${target}" PRIVATE agdf::agdf)
endfunction()
cmake_policy(POP)
