#pragma once

#include <string>

#include "core/scenario.h"
#include "core/status.h"

namespace paysandbox {

// Parses and checks a scenario document. An error's `param` is the JSON path
// of the value at fault ("rules[0].action.status") and its message says what
// was expected there. A trigger_webhook step may name any catalogue event.
Result<Scenario> parse_scenario(const std::string& text);

}  // namespace paysandbox
