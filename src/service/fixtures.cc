#include "service/fixtures.h"

#include <fstream>
#include <sstream>

namespace paysandbox {

// Defined in the generated embedded_fixtures.cc: {file name, text} pairs.
std::vector<std::pair<std::string, std::string>> embedded_fixture_files();

Result<Fixtures> load_builtin_fixtures() {
  Fixtures fixtures;
  for (const auto& [name, text] : embedded_fixture_files()) {
    auto parsed = parse_fixture_text("built-in " + name, text, std::move(fixtures));
    if (!parsed) return parsed.error();
    fixtures = std::move(*parsed);
  }
  return fixtures;
}

Result<Fixtures> load_fixtures(const std::string& directory) {
  Fixtures fixtures;
  for (const char* name : {"clients.json", "accounts.json", "cards.json"}) {
    std::string file = directory + "/" + name;
    std::ifstream in(file);
    if (!in) return make_error(ErrorCode::kValidation, file + ": cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parse_fixture_text(file, text.str(), std::move(fixtures));
    if (!parsed) return parsed.error();
    fixtures = std::move(*parsed);
  }
  if (fixtures.clients.empty())
    return make_error(ErrorCode::kValidation, directory + ": no clients defined");
  return fixtures;
}

}  // namespace paysandbox
