#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace paysandbox {

// The seed data every sandbox starts from (and a global reset returns to):
// API clients, payment accounts with fixed uids, and the sandbox card table.
struct Fixtures {
  std::vector<Client> clients;
  std::vector<Account> accounts;
  std::vector<SandboxCard> cards;
};

// Reads clients.json, accounts.json and cards.json from `directory`. Errors
// name the file, the JSON path and what was expected.
Result<Fixtures> load_fixtures(const std::string& directory);

// The fixtures compiled into the library from fixtures/ at build time.
Result<Fixtures> load_builtin_fixtures();

// Parses one fixture file's text; `file` is used in error messages only.
// Exposed for the fuzz harness.
Result<Fixtures> parse_fixture_text(const std::string& file, const std::string& text,
                                    Fixtures base);

}  // namespace paysandbox
