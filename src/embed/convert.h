#pragma once

// The API's JSON answers as paysandbox::api values, and the few request
// bodies the typed calls send. Spelled once here for everything in embed/.

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

json settings_json(const api::AccountSettings& settings);

api::Account account_from(const json& j);
api::CardToken card_token_from(const json& j);
api::Customer customer_from(const json& j);
api::SavedMethod saved_method_from(const json& j);
api::Payment payment_from(const json& j);
api::Event event_from(const json& j);
api::Delivery delivery_from(const json& j);
api::RecordedRequest recorded_request_from(const json& j);

// Percent-encodes a query parameter value.
std::string query_escape(const std::string& text);

}  // namespace embed
}  // namespace paysandbox
