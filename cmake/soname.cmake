# shoal_soname(VAR NAME FALLBACK [HINTS dir...]): the SONAME of library NAME (as found by
# find_library, e.g. "imagequant") into VAR, for a library Shoal opens with dlopen on first use
# instead of linking: the name the loader looks up, read from the library's dynamic section with
# objdump; FALLBACK when objdump is missing or says nothing.
function(shoal_soname var name fallback)
  cmake_parse_arguments(PARSE_ARGV 3 _so "" "" "HINTS")
  find_library(SHOAL_LIB_${name} NAMES ${name} HINTS ${_so_HINTS} REQUIRED)
  set(_soname ${fallback})
  if(CMAKE_OBJDUMP)
    execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${SHOAL_LIB_${name}} OUTPUT_VARIABLE _dyn
      ERROR_QUIET)
    if(_dyn MATCHES "SONAME +([^\n]+)")
      string(STRIP "${CMAKE_MATCH_1}" _soname)
    endif()
  endif()
  set(${var} ${_soname} PARENT_SCOPE)
endfunction()
