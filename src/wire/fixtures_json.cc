#include "wire/fixtures_json.h"

#include "core/rules.h"
#include "wire/json.h"

namespace paysandbox {
namespace {

struct FixtureError {
  std::string message;
};

class Reader {
 public:
  Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw FixtureError{file_ + ": " + path + ": " + what};
  }
  std::string string_at(const json& object, const std::string& path, const char* key, bool required,
                        const std::string& fallback = {}) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (required) fail(path + "." + key, "is required (a string)");
      return fallback;
    }
    if (!it->is_string()) fail(path + "." + key, "expected a string");
    return it->get<std::string>();
  }
  std::int64_t int_at(const json& object, const std::string& path, const char* key,
                      std::int64_t fallback, std::int64_t min, std::int64_t max) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_number_integer()) fail(path + "." + key, "expected an integer");
    auto v = it->get<std::int64_t>();
    if (v < min || v > max)
      fail(path + "." + key,
           "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return v;
  }
  bool bool_at(const json& object, const std::string& path, const char* key, bool fallback) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) fail(path + "." + key, "expected true or false");
    return it->get<bool>();
  }

 private:
  std::string file_;
};

void parse_into(const std::string& file, const json& root, Fixtures& out) {
  Reader r(file);
  if (!root.is_object()) r.fail("$", "expected an object");
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& key = it.key();
    if (key != "clients" && key != "accounts" && key != "cards" && key != "description")
      r.fail("$." + key, "unknown key; expected clients, accounts, cards or description");
    if (key == "description") continue;
    if (!it->is_array()) r.fail("$." + key, "expected an array");
  }
  if (auto clients = root.find("clients"); clients != root.end()) {
    for (size_t i = 0; i < clients->size(); ++i) {
      const json& c = (*clients)[i];
      std::string path = "$.clients[" + std::to_string(i) + "]";
      if (!c.is_object()) r.fail(path, "expected an object");
      out.clients.push_back(Client{r.string_at(c, path, "client_id", true),
                                   r.string_at(c, path, "client_secret", true)});
    }
  }
  if (auto accounts = root.find("accounts"); accounts != root.end()) {
    for (size_t i = 0; i < accounts->size(); ++i) {
      const json& a = (*accounts)[i];
      std::string path = "$.accounts[" + std::to_string(i) + "]";
      if (!a.is_object()) r.fail(path, "expected an object");
      Account account;
      account.uid = r.string_at(a, path, "uid", true);
      if (account.uid.rfind("pa_", 0) != 0)
        r.fail(path + ".uid", "expected a uid starting with pa_");
      account.client_id = r.string_at(a, path, "client_id", true);
      account.name = r.string_at(a, path, "name", true);
      account.external_account_id =
          r.string_at(a, path, "external_account_id", false, "ext_" + account.uid);
      account.external_merchant_id =
          r.string_at(a, path, "external_merchant_id", false, "mer_" + account.uid);
      account.enable_ach = r.bool_at(a, path, "enable_ach", true);
      account.enable_credit_card = r.bool_at(a, path, "enable_credit_card", true);
      account.minimum_payment_amount =
          r.int_at(a, path, "minimum_payment_amount_cents", 0, 0, 99999999999);
      account.maximum_payment_amount =
          r.int_at(a, path, "maximum_payment_amount_cents", 99999999, 0, 99999999999);
      account.callback_url = r.string_at(a, path, "callback_url", false);
      account.webhook_enabled =
          r.bool_at(a, path, "webhook_enabled", !account.callback_url.empty());
      account.webhook_secret = r.string_at(a, path, "webhook_secret", true);
      if (account.webhook_secret.rfind("whsec_", 0) != 0)
        r.fail(path + ".webhook_secret", "expected a secret starting with whsec_");
      for (const auto& key : a.items()) {
        static const char* kKnown[] = {"uid",
                                       "client_id",
                                       "name",
                                       "external_account_id",
                                       "external_merchant_id",
                                       "enable_ach",
                                       "enable_credit_card",
                                       "minimum_payment_amount_cents",
                                       "maximum_payment_amount_cents",
                                       "callback_url",
                                       "webhook_enabled",
                                       "webhook_secret"};
        bool known = false;
        for (auto* k : kKnown) known = known || key.key() == k;
        if (!known) r.fail(path + "." + key.key(), "unknown key");
      }
      out.accounts.push_back(std::move(account));
    }
  }
  if (auto cards = root.find("cards"); cards != root.end()) {
    for (size_t i = 0; i < cards->size(); ++i) {
      const json& c = (*cards)[i];
      std::string path = "$.cards[" + std::to_string(i) + "]";
      if (!c.is_object()) r.fail(path, "expected an object");
      SandboxCard card{r.string_at(c, path, "number", true), r.string_at(c, path, "brand", true)};
      const std::string outcome = r.string_at(c, path, "outcome", true);
      if (!luhn_valid(card.number)) r.fail(path + ".number", "expected a Luhn-valid card number");
      if (auto known = outcome_from_name(outcome))
        card.outcome = *known;
      else
        r.fail(path + ".outcome", "expected one of " + outcome_names());
      out.cards.push_back(std::move(card));
    }
  }
}

}  // namespace

Result<Fixtures> parse_fixture_text(const std::string& file, const std::string& text,
                                    Fixtures base) {
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded()) return make_error(ErrorCode::kValidation, file + ": not valid JSON");
  try {
    parse_into(file, root, base);
  } catch (const FixtureError& e) {
    return make_error(ErrorCode::kValidation, e.message);
  }
  return base;
}

}  // namespace paysandbox
