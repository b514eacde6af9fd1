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

// Parses one fixture file's text (clients.json, accounts.json or cards.json)
// on top of `base`; `file` is used in error messages only, which name the
// file, the JSON path and what was expected. Exposed for the fuzz harness.
Result<Fixtures> parse_fixture_text(const std::string& file, const std::string& text,
                                    Fixtures base);

}  // namespace paysandbox
