#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/types.h"

namespace paysandbox {

using json = nlohmann::json;

// Serializes for the wire; invalid UTF-8 that reached a string (from a path
// or header, never from a parsed body) is replaced rather than thrown.
std::string dump_json(const json& value);

// null for an empty string / an absent optional, the text otherwise.
json text_or_null(const std::string& value);
json optional_text(const std::optional<std::string>& value);

// The wire shapes of the domain types, spelled once here.
json account_json(const Account& account);
// account_json without the optional client_id.
json account_fields_json(const Account& account);
// An account's checkout-config branding defaults (nulls where unset).
json branding_json(const Branding& branding);
// An organization of POST /api/clients.
json org_client_json(const OrgClient& client);
json customer_json(const Customer& customer);
// The full save response: the only place the permanent token appears.
json saved_method_json(const SavedMethod& method, bool is_default);
// Lists and gets: no fingerprint, no bin, no full routing/account number.
json sanitized_method_json(const SavedMethod& method, bool is_default);
// Append a string, or null for an empty one, exactly as dump_json would
// write it; for the hand-written serializers of the hottest answers.
void append_json_string(std::string& out, const std::string& value);
void append_json_text_or_null(std::string& out, const std::string& value);
// Appends the sanitized instrument, `"credit":{card_brand, exp_month, exp_year,
// holder_name, last4}` or `"ach":{account_number_suffix, account_type,
// bank_name, holder_name}`, as a member of an enclosing object: what saved
// method lists and payment echoes show (never a token, bin or full number).
void append_sanitized_details(std::string& out, MethodKind kind, const CardDetails& card,
                              const AchDetails& ach);

// Appends dump_json(sanitized_method_json(method, is_default)), byte for byte,
// without building the json tree: the saved-method list is the hottest read,
// and the tree's allocations were most of its cost.
void append_sanitized_method_json(std::string& out, const SavedMethod& method, bool is_default);
// The token stand-in's answer: what a merchant's page would post to its server.
json proxy_token_json(const ProxyToken& token);

// Whether `body` has, at the dotted path ("payment_method.payment_method_type"),
// a value equal to the JSON text `expected_json` (a scenario's body matcher).
bool json_field_equals(const json& body, const std::string& dotted,
                       const std::string& expected_json);

// Fee rules both ways (fee_rules.credit.percent_bps ...).
json fee_rules_json(const FeeRules& rules);

}  // namespace paysandbox
