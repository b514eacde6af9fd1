#pragma once

// The merchant API's JSON answers as paysandbox::api values, for
// TestAccount's shortcuts (which go through Sandbox::request() as a
// merchant's server would) and the webhook receiver. The control calls are
// typed without JSON (sandbox_control.cc).

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "paysandbox/sandbox.h"
#include "paysandbox/types.h"

namespace paysandbox {
namespace embed {

using json = nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

// The parsed body of a 2xx answer; otherwise throws api::Error from the
// error body (or a plain one when the body is not the API's error shape).
json expect_ok(const Sandbox::Response& response);

api::Customer customer_from(const json& j);
api::SavedMethod saved_method_from(const json& j);
api::Payment payment_from(const json& j);
// A webhook envelope as an Event (its delivery fields unset).
api::Event event_from_envelope(const json& j);

}  // namespace embed
}  // namespace paysandbox
