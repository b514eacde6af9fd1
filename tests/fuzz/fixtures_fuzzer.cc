// Fixture file parsing: the input is one file's text, read as each of the
// three fixture files in turn on top of the built-in fixtures.
#include <cstddef>
#include <cstdint>
#include <string>

#include "service/fixtures.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const paysandbox::Fixtures base = *paysandbox::load_builtin_fixtures();
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* file : {"clients.json", "accounts.json", "cards.json"})
    (void)paysandbox::parse_fixture_text(file, text, base);
  return 0;
}
