// Sandbox's typed calls: thin wrappers over request() that turn the API's
// JSON into paysandbox::api values.
#include <exception>

#include "embed/convert.h"
#include "paysandbox/sandbox.h"

namespace paysandbox {
namespace {

embed::Headers control_headers_of(const Sandbox& sandbox, const std::string& account_uid) {
  embed::Headers headers;
  if (!sandbox.options().control_token.empty())
    headers.emplace_back("X-Sandbox-Token", sandbox.options().control_token);
  if (!account_uid.empty()) headers.emplace_back("X-Payment-Account-Uid", account_uid);
  return headers;
}

}  // namespace

OpenResult Sandbox::open(Options options) noexcept {
  OpenResult result;
  try {
    result.sandbox = std::make_unique<Sandbox>(std::move(options));
  } catch (const std::exception& e) {
    result.error = e.what();
  } catch (...) {
    result.error = "the sandbox could not start";
  }
  return result;
}

api::Account Sandbox::create_account(const api::AccountSettings& settings) {
  return embed::account_from(
      embed::expect_ok(request("POST", "/_sandbox/accounts", embed::settings_json(settings).dump(),
                               control_headers_of(*this, {}))));
}

void Sandbox::advance_clock(std::chrono::seconds by, const std::string& account_uid) {
  const embed::json body = {{"seconds", by.count()}};
  embed::expect_ok(request("POST", "/_sandbox/clock/advance", body.dump(),
                           control_headers_of(*this, account_uid)));
}

api::CardToken Sandbox::mint_card(const std::string& account_uid, const std::string& number,
                                  int exp_month, int exp_year) {
  const embed::json body = {
      {"card", {{"number", number}, {"exp_month", exp_month}, {"exp_year", exp_year}}}};
  return embed::card_token_from(embed::expect_ok(
      request("POST", "/_sandbox/tokens", body.dump(), control_headers_of(*this, account_uid))));
}

}  // namespace paysandbox
