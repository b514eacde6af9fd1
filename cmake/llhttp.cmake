# llhttp, the HTTP/1.1 request parser of the server's transport
# (src/http/transport/request_parser.cc). Debian 13 packages it as a library
# (libllhttp-dev); Debian 12 ships only its C sources and header, in
# node-llhttp, which are compiled here into the paysandbox library itself.
# Sets PAYSANDBOX_LLHTTP_INCLUDE_DIR, and either PAYSANDBOX_LLHTTP_LIBRARY (a
# library to link) or PAYSANDBOX_LLHTTP_SOURCES (C files to compile in).
find_path(PAYSANDBOX_LLHTTP_INCLUDE_DIR llhttp.h
          PATHS /usr/include /usr/share/include/llhttp
          DOC "Directory holding llhttp.h")
find_path(PAYSANDBOX_LLHTTP_SOURCE_DIR llhttp.c api.c http.c
          PATHS /usr/share/llhttp NO_DEFAULT_PATH
          DOC "Directory holding llhttp's C sources (Debian 12's node-llhttp)")
# The static archive first: the parser then travels inside libpaysandbox.a
# and the binary, and nothing links it at run time.
find_library(PAYSANDBOX_LLHTTP_LIBRARY NAMES libllhttp.a llhttp
             DOC "llhttp library (Debian 13's libllhttp-dev)")

if(NOT PAYSANDBOX_LLHTTP_INCLUDE_DIR)
  message(FATAL_ERROR "llhttp.h not found: install libllhttp-dev (Debian 13) or node-llhttp "
                      "(Debian 12); scripts/install-deps does")
endif()
set(PAYSANDBOX_LLHTTP_SOURCES "")
if(PAYSANDBOX_LLHTTP_LIBRARY)
  message(STATUS "llhttp: ${PAYSANDBOX_LLHTTP_LIBRARY}")
elseif(PAYSANDBOX_LLHTTP_SOURCE_DIR)
  enable_language(C)
  # The sanitizer and fuzzer flags are directory-wide, so they reach these C
  # sources too: the C compiler must be of the C++ compiler's family.
  if((PAYSANDBOX_SANITIZE OR PAYSANDBOX_FUZZ)
     AND NOT CMAKE_C_COMPILER_ID STREQUAL CMAKE_CXX_COMPILER_ID)
    message(FATAL_ERROR "llhttp's C sources are compiled with ${CMAKE_C_COMPILER_ID} and the "
                        "project with ${CMAKE_CXX_COMPILER_ID}: with sanitizers or fuzzing on, "
                        "name both (-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)")
  endif()
  set(PAYSANDBOX_LLHTTP_SOURCES ${PAYSANDBOX_LLHTTP_SOURCE_DIR}/api.c
                                ${PAYSANDBOX_LLHTTP_SOURCE_DIR}/http.c
                                ${PAYSANDBOX_LLHTTP_SOURCE_DIR}/llhttp.c)
  # Third-party code: compiled as it is, without the project's warnings, and
  # never batched with our C++ sources.
  set_source_files_properties(${PAYSANDBOX_LLHTTP_SOURCES} PROPERTIES
                              SKIP_UNITY_BUILD_INCLUSION ON COMPILE_OPTIONS "-w")
  message(STATUS "llhttp: compiled in from ${PAYSANDBOX_LLHTTP_SOURCE_DIR}")
else()
  message(FATAL_ERROR "llhttp found (${PAYSANDBOX_LLHTTP_INCLUDE_DIR}) without its library or "
                      "sources: install libllhttp-dev (Debian 13) or node-llhttp (Debian 12)")
endif()
