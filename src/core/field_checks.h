#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace paysandbox {

// The wording of a refused field value, shared by the route readers
// (http/body.h) and the typed control calls, so both refuse a value alike.
// Each error names `field` (the caller's name or path for it; placed_at moves
// it) and its message mentions it as "'<field>'".

// The names a field takes, as its refusals list them: 'a', 'b', 'c'.
std::string quoted_names(const std::vector<std::string>& names);

// "'<field>' must be one of 'a', 'b'; got '<value>'."
Error not_one_of(std::string field, const std::vector<std::string>& names,
                 const std::string& value);

}  // namespace paysandbox
