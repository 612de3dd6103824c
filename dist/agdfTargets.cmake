# agdfTargets.cmake — the imported targets of an installed agdf: agdf::agdf
# (libagdf.a, its include directory, threads) and agdf::agdfc (the compiler).
# Installed as PREFIX/lib/cmake/agdf/agdfTargets.cmake; every path is computed
# from this file's own location, so the installed tree may be moved.
get_filename_component(_agdf_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET agdf::agdf)
  add_library(agdf::agdf STATIC IMPORTED)
  set_target_properties(agdf::agdf PROPERTIES
    IMPORTED_LOCATION "${_agdf_prefix}/lib/libagdf.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES C
    INTERFACE_INCLUDE_DIRECTORIES "${_agdf_prefix}/include"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()

if(NOT TARGET agdf::agdfc)
  add_executable(agdf::agdfc IMPORTED)
  set_target_properties(agdf::agdfc PROPERTIES
    IMPORTED_LOCATION "${_agdf_prefix}/bin/agdfc")
endif()

foreach(_agdf_file "${_agdf_prefix}/lib/libagdf.a" "${_agdf_prefix}/include/agdf.h"
                   "${_agdf_prefix}/bin/agdfc")
  if(NOT EXISTS "${_agdf_file}")
    set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
    set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE
        "agdf's file ${_agdf_file} is missing (a partial install?)")
  endif()
endforeach()
unset(_agdf_file)
unset(_agdf_prefix)
