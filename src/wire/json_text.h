#pragma once

#include <optional>
#include <string>

namespace paysandbox {

// `value` as a JSON string literal, quotes included, exactly as dump_json
// writes it: for JSON text put together by hand outside wire/.
std::string json_quoted(const std::string& value);

// `text` written again as dump_json writes it, when it is the JSON text of
// an object; nullopt when it is not JSON or not an object.
std::optional<std::string> json_object_text(const std::string& text);

}  // namespace paysandbox
