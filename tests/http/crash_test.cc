// Issue 16: one request, one transaction. The real binary on a --db file is
// made to die at each step of a keyed request (store/crash_point.h), then
// restarted; the retry with the same key and body must find either nothing
// (and run) or the committed answer (and replay), with exactly one effect
// and exactly one event.
#include <functional>
#include <string>
#include <vector>

#include "support/catch.h"
#include "support/harness.h"
#include "support/process.h"

using namespace testing;

#ifdef PAYSANDBOX_CRASH_POINTS

namespace {

constexpr int kCrashExit = 86;  // store/crash_point.h kCrashExitCode
const char* kKey = "crash-matrix-key";

// A payment-sandbox process on the test's --db file.
class Server {
 public:
  Server(const std::string& db, std::vector<std::string> environment = {})
      : process_(PAYSANDBOX_BINARY, {"serve", "--port", "0", "--db", db, "--log-format", "none"},
                 std::move(environment)),
        client_(process_.port_from_listening_line()) {}

  Process& process() { return process_; }
  Client& client() { return client_; }

 private:
  Process process_;
  Client client_;
};

// A merchant of pa_sandbox talking to whichever process is running.
struct Api {
  Client* client = nullptr;
  std::string token;

  httplib::Headers headers(httplib::Headers extra = {}) const {
    extra.emplace("Authorization", "Bearer " + token);
    extra.emplace("X-Payment-Account-Uid", "pa_sandbox");
    return extra;
  }
  json ok(const Reply& reply, int status) const {
    INFO(reply.status << " " << reply.body << " " << reply.error);
    REQUIRE(reply.status == status);
    return reply.json_body();
  }
  json get(const std::string& path) const { return ok(client->get(path, headers()), 200); }
  json post(const std::string& path, const json& body, int status = 201) const {
    return ok(client->post(path, body, headers()), status);
  }
  json customer(const std::string& reference) const {
    return post("/api/customers", {{"reference_id", reference}});
  }
  json saved_card(const std::string& customer_uid) const {
    json minted =
        ok(client->post(
               "/_sandbox/tokens",
               {{"card", {{"number", "4111111111111111"}, {"exp_month", 12}, {"exp_year", 2030}}}},
               {{"X-Payment-Account-Uid", "pa_sandbox"}}),
           201);
    return post("/api/customers/" + customer_uid + "/payment-methods",
                {{"payment_method", credit_method(minted)}});
  }
  std::size_t count(const std::string& path) const { return get(path).size(); }
  std::size_t events(const std::string& type) const {
    auto reply =
        client->get("/_sandbox/events?limit=1000", {{"X-Payment-Account-Uid", "pa_sandbox"}});
    json events = ok(reply, 200);
    std::size_t n = 0;
    for (const auto& e : events)
      if (e.at("event_type") == type) ++n;
    return n;
  }
};

json pay_body(const json& saved) {
  return {{"base_amount", 10000},
          {"tax_amount", 825},
          {"currency", "USD"},
          {"reference_id", "crash-order"},
          {"payment_method",
           {{"payment_method_type", "wallet_credit"},
            {"wallet", {{"saved_payment_method_uid", saved.at("saved_payment_method_uid")}}}}}};
}

json capture_body(const json& saved, const json& validated) {
  json body = pay_body(saved);
  body["processing_fee_amount"] = validated.at("processing_fee_amount");
  return body;
}

// The request under test, made ready by a route's setup.
struct Target {
  std::string path;
  json body;
  httplib::Headers headers;  // empty = the merchant's own
  std::string subject;       // what effect() looks at (a uid)
};

struct RouteCase {
  const char* name;
  int status;
  const char* event_type;  // nullptr: the route emits none
  std::function<Target(const Api&)> setup;
  // How many times the request took effect (1 is right).
  std::function<std::size_t(const Api&, const Target&)> effects;
};

const std::vector<RouteCase>& route_cases() {
  static const std::vector<RouteCase> kCases = {
      {"customer create", 201, nullptr,
       [](const Api&) {
         return Target{"/api/customers", {{"reference_id", "crash-customer"}}, {}, ""};
       },
       [](const Api& api, const Target&) {
         return api.count("/api/customers?$filter=reference_id%20eq%20'crash-customer'");
       }},
      {"save method", 201, nullptr,
       [](const Api& api) {
         json customer = api.customer("owner");
         json minted = api.ok(
             api.client->post(
                 "/_sandbox/tokens",
                 {{"card", {{"number", "5555555555554444"}, {"exp_month", 6}, {"exp_year", 2031}}}},
                 {{"X-Payment-Account-Uid", "pa_sandbox"}}),
             201);
         const std::string uid = customer.at("uid");
         return Target{"/api/customers/" + uid + "/payment-methods",
                       {{"payment_method", credit_method(minted)}},
                       {},
                       uid};
       },
       [](const Api& api, const Target& target) {
         return api.count("/api/customers/" + target.subject + "/payment-methods");
       }},
      {"validate", 201, nullptr,
       [](const Api& api) {
         json saved = api.saved_card(api.customer("payer").at("uid"));
         return Target{"/api/payments", pay_body(saved), {}, ""};
       },
       [](const Api& api, const Target&) {
         return api.count("/api/payments?$filter=reference_id%20eq%20'crash-order'");
       }},
      {"capture", 200, "payment.completed",
       [](const Api& api) {
         json saved = api.saved_card(api.customer("payer").at("uid"));
         json validated = api.post("/api/payments", pay_body(saved));
         const std::string uid = validated.at("uid");
         return Target{
             "/api/payments/" + uid + "/capture", capture_body(saved, validated), {}, uid};
       },
       [](const Api& api, const Target& target) -> std::size_t {
         return api.get("/api/payments/" + target.subject).at("status") == "completed" ? 1 : 0;
       }},
      {"refund", 200, "payment.refunded",
       [](const Api& api) {
         json saved = api.saved_card(api.customer("payer").at("uid"));
         json validated = api.post("/api/payments", pay_body(saved));
         const std::string uid = validated.at("uid");
         api.post("/api/payments/" + uid + "/capture", capture_body(saved, validated), 200);
         return Target{"/api/payments/" + uid + "/refund", {{"amount", 2500}}, {}, uid};
       },
       [](const Api& api, const Target& target) -> std::size_t {
         return api.get("/api/payments/" + target.subject).at("refunded_amount").get<int>() / 2500;
       }},
      {"session confirm", 200, "checkout_session.completed",
       [](const Api& api) {
         json saved = api.saved_card(api.customer("payer").at("uid"));
         json session = api.post("/v1/hosted-sessions", {{"amount", 2500},
                                                         {"currency", "USD"},
                                                         {"success_url", "https://shop.example/ok"},
                                                         {"cancel_url", "https://shop.example/no"},
                                                         {"customer_id", "payer"}});
         return Target{
             "/v1/hosted-sessions/" + session.at("session_id").get<std::string>() + "/confirm",
             {{"method", "card"}, {"processor_token", saved.at("saved_payment_method_uid")}},
             {{"Authorization", "Bearer " + session.at("client_secret").get<std::string>()}},
             ""};
       },
       [](const Api& api, const Target&) { return api.count("/api/payments"); }},
      {"session expire", 200, "checkout_session.expired",
       [](const Api& api) {
         json session =
             api.post("/v1/hosted-sessions", {{"amount", 2500},
                                              {"currency", "USD"},
                                              {"success_url", "https://shop.example/ok"},
                                              {"cancel_url", "https://shop.example/no"}});
         const std::string id = session.at("session_id");
         return Target{"/v1/hosted-sessions/" + id + "/expire", json::object(), {}, id};
       },
       [](const Api& api, const Target& target) -> std::size_t {
         return api.get("/v1/hosted-sessions/" + target.subject).at("status") == "expired" ? 1 : 0;
       }},
      {"import", 200, nullptr,
       [](const Api&) {
         json item = {{"customer_reference_id", "imported"},
                      {"payment_method",
                       {{"payment_method_type", "credit"},
                        {"credit",
                         {{"fingerprint", "proc_crash"},
                          {"last4", "1111"},
                          {"exp_month", 12},
                          {"exp_year", 2030}}}}}};
         return Target{
             "/api/saved-payment-methods/import", {{"items", json::array({item})}}, {}, ""};
       },
       [](const Api& api, const Target&) -> std::size_t {
         json found = api.get("/api/customers?$filter=reference_id%20eq%20'imported'");
         if (found.empty()) return 0;
         return found.size() * api.count("/api/customers/" + found[0].at("uid").get<std::string>() +
                                         "/payment-methods");
       }},
  };
  return kCases;
}

Reply send(const Api& api, const Target& target) {
  httplib::Headers headers = target.headers.empty() ? api.headers() : target.headers;
  headers.emplace("Idempotency-Key", kKey);
  return api.client->request("POST", target.path, target.body.dump(), headers);
}

std::string token_of(Client& client) {
  auto reply = client.request("POST", "/oauth2/token", "grant_type=client_credentials",
                              {{"Authorization", "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ="},
                               {"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE(reply.status == 200);
  return reply.json_body().at("access_token");
}

}  // namespace

TEST_CASE("a keyed request killed at any step happens exactly once after restart and retry",
          "[crash][durability]") {
  const std::vector<std::string> points = {"after_domain_write", "after_event_insert",
                                           "before_commit", "after_commit_before_answer"};
  for (const auto& route : route_cases()) {
    for (const auto& point : points) {
      DYNAMIC_SECTION(route.name << " dying " << point) {
        TempDb db;
        Api api;
        Target target;
        const bool emits = route.event_type != nullptr;
        bool crashed = false;
        {
          Server server(db.path(), {"PAYSANDBOX_CRASH_AT=" + point,
                                    std::string("PAYSANDBOX_CRASH_KEY=") + kKey});
          api.client = &server.client();
          api.token = token_of(server.client());
          target = route.setup(api);
          auto first = send(api, target);
          if (first.status == 0) {
            crashed = true;
            CHECK(server.process().wait() == kCrashExit);
          } else {
            // Only a route that emits no event runs past after_event_insert.
            INFO(first.status << " " << first.body);
            CHECK(point == "after_event_insert");
            CHECK(!emits);
            CHECK(first.status == route.status);
          }
        }
        Server restarted(db.path());
        api.client = &restarted.client();
        auto retry = send(api, target);
        INFO(retry.status << " " << retry.body);
        CHECK(retry.status == route.status);
        const bool committed = !crashed || point == "after_commit_before_answer";
        CHECK(retry.header("Idempotent-Replayed") == (committed ? "true" : ""));
        // A third send replays whatever the retry answered, byte for byte.
        auto again = send(api, target);
        CHECK(again.status == retry.status);
        CHECK(again.body == retry.body);
        CHECK(again.header("Idempotent-Replayed") == "true");
        CHECK(route.effects(api, target) == 1);
        if (emits) CHECK(api.events(route.event_type) == 1);
      }
    }
  }
}

TEST_CASE("a request that dies before its commit leaves no event for the dispatcher",
          "[crash][durability][webhooks]") {
  TempDb db;
  Api api;
  Target target;
  {
    Server server(db.path(), {"PAYSANDBOX_CRASH_AT=before_commit",
                              std::string("PAYSANDBOX_CRASH_KEY=") + kKey});
    api.client = &server.client();
    api.token = token_of(server.client());
    target = route_cases()[3].setup(api);  // capture
    CHECK(send(api, target).status == 0);
    CHECK(server.process().wait() == kCrashExit);
  }
  Server restarted(db.path());
  api.client = &restarted.client();
  CHECK(api.events("payment.completed") == 0);
  CHECK(api.get(target.path.substr(0, target.path.rfind('/'))).at("status") == "validated");
}

#endif
