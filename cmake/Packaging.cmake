# Debian packages with CPack (`cpack -G DEB` in a build directory), one per
# install component:
#
#   payment-sandbox     component runtime: /usr/bin/payment-sandbox and its man
#                       page. Made from the portable build (scripts/portable,
#                       which links everything but glibc in), so dpkg-shlibdeps
#                       finds libc6 alone and the package installs on Debian 12
#                       and 13 alike.
#   libpaysandbox-dev   component dev: the static library, the glue libraries,
#                       the public headers, the fixtures and the CMake package
#                       files. Made from a regular build; depends on the -dev
#                       packages find_package(PaymentSandbox) needs.
#
# PAYSANDBOX_PACKAGES picks which a build directory makes: by default the
# runtime package from a portable build (PAYSANDBOX_PORTABLE)
# and the -dev package otherwise. A regular build's binary links the
# system's cpp-httplib, so it would need the one release's libcpp-httplib.
# scripts/deb-check builds both and tries them.
include(GNUInstallDirs)
install(FILES man/payment-sandbox.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)

if(PAYSANDBOX_PORTABLE)
  set(paysandbox_default_packages runtime)
else()
  set(paysandbox_default_packages dev)
endif()
set(PAYSANDBOX_PACKAGES ${paysandbox_default_packages} CACHE STRING
    "Install components cpack makes Debian packages of (runtime, dev or both)")

# Installing (and so cpack) takes what is built: --target payment-sandbox is
# enough for the runtime package; the -dev package needs the library and the
# glue libraries, not the test suites.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${PAYSANDBOX_PACKAGES})
set(CPACK_PACKAGE_NAME payment-sandbox)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "payment-sandbox")
set(CPACK_PACKAGE_CONTACT "payment-sandbox maintainers <payment-sandbox@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME payment-sandbox)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "Local, stateful stand-in for the Govifi/Caselle payment API
Serves customers, saved payment methods, payments and signed webhooks like the real API, on a clock tests can advance. One binary that needs only the C library.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libpaysandbox-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# A static library: what its consumers link against comes from these.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libcpp-httplib-dev, libsqlitecpp-dev, libsqlite3-dev, libssl-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "payment-sandbox, cmake, catch2, libgtest-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "payment-sandbox as a C++ library, for embedding it in a test suite
The paysandbox static library, its public headers, the Catch2 and GoogleTest glue libraries and the CMake package files for find_package(PaymentSandbox).")
include(CPack)
