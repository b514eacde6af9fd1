#pragma once

#include <string>

#include "core/status.h"
#include "wire/fixtures_json.h"

namespace paysandbox {

// Reads clients.json, accounts.json and cards.json from `directory`. Errors
// name the file, the JSON path and what was expected.
Result<Fixtures> load_fixtures(const std::string& directory);

// The fixtures compiled into the library from fixtures/ at build time.
Result<Fixtures> load_builtin_fixtures();

}  // namespace paysandbox
