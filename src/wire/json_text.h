#pragma once

#include <string>

namespace paysandbox {

// `value` as a JSON string literal, quotes included, exactly as dump_json
// writes it: for JSON text put together by hand outside wire/.
std::string json_quoted(const std::string& value);

}  // namespace paysandbox
